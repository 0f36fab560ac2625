namespace GenerativeSharp.Evaluation;

/// <summary>
/// A Parzen-window estimate (<see cref="ParzenWindow"/>): the kernel width chosen on the validation
/// set, the test set's mean log-likelihood in nats per example with its standard error, and the
/// validation curve the choice was made on. A poor estimator, for comparison with old tables only.
/// </summary>
/// <param name="Sigma">the chosen kernel std (best mean validation log-likelihood)</param>
/// <param name="MeanLogLikelihood">mean log p(x) over the test set, nats per example (higher is better)</param>
/// <param name="StandardError">std of the test log-likelihoods (population) / sqrt(test examples)</param>
/// <param name="ValidationCurve">mean validation log-likelihood for every candidate sigma, in the order given</param>
/// <param name="Samples">the number of generated samples the kernels sit on</param>
/// <param name="TestExamples">the number of test examples</param>
/// <param name="ValidationExamples">the number of held-out examples sigma was chosen on</param>
public sealed record ParzenResult(
    double Sigma,
    double MeanLogLikelihood,
    double StandardError,
    IReadOnlyList<ParzenPoint> ValidationCurve,
    long Samples,
    long TestExamples,
    long ValidationExamples);

/// <summary>One point of a Parzen validation curve: a kernel std and the mean validation log-likelihood it gives.</summary>
public sealed record ParzenPoint(double Sigma, double MeanLogLikelihood);
