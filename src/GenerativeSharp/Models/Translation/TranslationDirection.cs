namespace GenerativeSharp.Models.Translation;

/// <summary>Which way an unpaired translator maps: domain A (the run's --data) to B (its --target), or back.</summary>
public enum TranslationDirection
{
    AToB,
    BToA,
}
