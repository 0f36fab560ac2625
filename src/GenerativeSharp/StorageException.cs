namespace GenerativeSharp;

/// <summary>
/// A file of a run could not be written (a full disk, a read-only directory): the message names the
/// file and says what is still intact, e.g. "the last checkpoint (step 800) is intact".
/// </summary>
public sealed class StorageException(string message, Exception inner) : Exception(message, inner);
