namespace GenerativeSharp;

/// <summary>
/// A problem the user can fix (a bad option, a missing or corrupt file, unknown names).
/// Its message is one line that says what is wrong and what would be right; the CLI prints it
/// without a stack trace and exits non-zero.
/// </summary>
public sealed class InvalidInputException : Exception
{
    public InvalidInputException(string message) : base(message) { }

    public InvalidInputException(string message, Exception inner) : base(message, inner) { }
}
