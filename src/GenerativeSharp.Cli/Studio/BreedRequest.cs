namespace GenerativeSharp.Cli.Studio;

/// <summary>
/// POST /api/runs/NAME/breed: the arguments of <c>gensharp breed DIR --parents P --children N --mutation M --seed S</c>.
/// </summary>
internal sealed record BreedRequest(long[]? Parents, int Children = 4, double Mutation = 0.25, long Seed = 0);

/// <summary>The children's seeds (their genomes are in the run's genomes.json) and the command line that breeds the same ones.</summary>
internal sealed record BreedAnswer(long[] Children, string Command);
