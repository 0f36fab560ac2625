namespace GenerativeSharp.Cli.Studio;

/// <summary>
/// One gallery image: its seed and the sampling options of <c>gensharp sample</c> (null when not given).
/// With none given, a model with a latent code draws the seed's genome as <c>gensharp breed</c> numbers it, so
/// a gallery image can be a parent.
/// </summary>
internal sealed record SampleQuery(long Seed, int? Label, int? Steps, double? Guidance, double? Temperature)
{
    /// <summary>Whether no sampling option is given (then a latent model decodes the seed's genome).</summary>
    public bool Plain => Label is null && Steps is null && Guidance is null && Temperature is null;
}
