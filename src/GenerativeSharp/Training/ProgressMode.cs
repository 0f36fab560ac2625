namespace GenerativeSharp.Training;

/// <summary>How training reports progress on the console.</summary>
public enum ProgressMode
{
    /// <summary>A live bar in an interactive terminal, plain periodic lines when output is redirected.</summary>
    Auto,

    /// <summary>Plain periodic lines.</summary>
    Plain,

    /// <summary>Nothing.</summary>
    None,
}
