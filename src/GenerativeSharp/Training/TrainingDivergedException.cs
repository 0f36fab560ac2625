namespace GenerativeSharp.Training;

/// <summary>Training produced a non-finite loss or gradient; the last checkpoint is kept.</summary>
public sealed class TrainingDivergedException(string message) : Exception(message);
