using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenerativeSharp.Models.Diffusion;

/// <summary>
/// The learned class embedding of a class-conditional noise network, added to its time embedding: N + 1 vectors, the
/// last one the "null" class that classifier-free guidance trains with dropped labels (Ho and Salimans, "Classifier-Free
/// Diffusion Guidance", 2022, arXiv:2207.12598). A context is int64 labels [B] in [0, N], or float class weights [B, N]
/// (a mixture of the N real classes, for breeding's class genes), or null (the null class).
/// </summary>
public sealed class ClassEmbedding : nn.Module<Tensor, Tensor>
{
    private readonly Embedding table;

    public ClassEmbedding(int classes, long width) : base(nameof(ClassEmbedding))
    {
        if (classes < 1) throw new ArgumentOutOfRangeException(nameof(classes), classes, "a class embedding needs at least one class.");
        Classes = classes;
        table = nn.Embedding(classes + 1, width);
        RegisterComponents();
    }

    /// <summary>N, the real classes; index N is the null class.</summary>
    public int Classes { get; }

    /// <summary>labels [B] int64 or weights [B, N] float -> [B, width].</summary>
    public override Tensor forward(Tensor context)
    {
        if (context.dtype == ScalarType.Int64) return table.forward(context);
        if (context.dim() != 2 || context.shape[1] != Classes)
            throw new ArgumentException($"class weights must be [B, {Classes}]; got [{string.Join(", ", context.shape)}].", nameof(context));
        return context.matmul(table.weight!.narrow(0, 0, Classes));    // [B, N] x [N, width] -> [B, width]
    }

    /// <summary>The embedding of <paramref name="context"/>, or of the null class for each of <paramref name="batch"/> rows when it is null.</summary>
    public Tensor Of(Tensor? context, long batch, Device device) =>
        forward(context ?? full([batch], Classes, ScalarType.Int64, device));
}
