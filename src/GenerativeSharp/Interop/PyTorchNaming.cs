using System.Text.RegularExpressions;
using GenerativeSharp.Models.Autoregressive;
using GenerativeSharp.Models.Autoregressive.Pixels;
using GenerativeSharp.Models.ChangeOfVariables;
using GenerativeSharp.Models.Variational;
using GenerativeSharp.Recipes;
using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Interop;

/// <summary>
/// The names a model's weights have in the matching PyTorch module (docs/interop.md has the table):
/// <list type="bullet">
/// <item><c>vae</c> (MLP, one hidden layer, Bernoulli decoder): the VAE of pytorch/examples <c>vae/main.py</c>
/// (Kingma and Welling 2014): fc1 (x to hidden), fc21 (mu), fc22 (log variance), fc3 (z to hidden), fc4 (logits),
/// with the widths of our options.</item>
/// <item><c>made</c> (one mask): EugenHotaj/pytorch-generative's MADE (Germain et al. 2015): <c>_net.{2l}.weight</c>,
/// <c>.bias</c> and the mask buffer <c>.mask</c> of masked linear layer l.</item>
/// <item><c>gated-pixelcnn</c> (grey, binary, unconditional): pytorch-generative's Gated PixelCNN layout
/// (van den Oord et al. 2016): <c>_input</c> (the 7x7 layer), <c>_gated_layers.{i}</c>, <c>_head.1</c> and <c>_head.3</c>,
/// and in a layer <c>_vstack_NxN</c>, <c>_hstack_1xN</c>, <c>_link</c>, <c>_hstack_residual</c>.</item>
/// <item><c>realnvp</c> on points [D] with affine couplings (Dinh et al. 2017): <c>couplings.{k}.net.{i}</c>,
/// <c>couplings.{k}.log_gain</c> and the buffer <c>couplings.{k}.mask</c>.</item>
/// </list>
/// bench/peers/interop.py defines these PyTorch modules.
/// </summary>
public static partial class PyTorchNaming
{
    /// <summary>The models with a PyTorch mapping.</summary>
    public static IReadOnlyList<string> Supported { get; } = ["vae", "made", "gated-pixelcnn", "realnvp"];

    /// <summary>One line naming the models that have a mapping, for refusals.</summary>
    public static string SupportedList => string.Join(", ", Supported) + " (see docs/interop.md)";

    /// <summary>The PyTorch module the names follow, or a one-line refusal when this model or configuration has none.</summary>
    public static (string? Module, string? Refusal) Describe(ModelInstance model)
    {
        ArgumentNullException.ThrowIfNull(model);
        string name = model.Recipe.Info.Name;
        return model.Module switch
        {
            Vae { Options: { Network: VaeNetwork.Mlp, Depth: 1, Decoder: VaeDecoder.Bernoulli } } =>
                ("pytorch/examples vae/main.py VAE (fc1, fc21, fc22, fc3, fc4)", null),
            Vae => (null, "a vae has a PyTorch mapping (pytorch/examples vae/main.py) only as an MLP of depth 1 with a Bernoulli decoder " +
                "(--set network=mlp depth=1 decoder=bernoulli)"),
            Made { Options.Masks: 1 } => ("pytorch-generative MADE (_net.{2l}.weight, .bias, .mask)", null),
            Made => (null, "a made has a PyTorch mapping (pytorch-generative's MADE) only with one mask (--set masks=1)"),
            GatedPixelCnn { Options: { Classes: 0, Likelihood: PixelLikelihoodKind.Bernoulli } } g when g.Options.EventShape[0] == 1 =>
                ("pytorch-generative Gated PixelCNN layout (_input, _gated_layers.{i}, _head)", null),
            GatedPixelCnn => (null, "a gated-pixelcnn has a PyTorch mapping only on grey binary images, unconditional " +
                "(--set likelihood=bernoulli classes=0)"),
            RealNvp { Options: { Coupling: CouplingKind.Affine } } r when r.Options.EventShape.Length == 1 =>
                ("RealNVP on points (couplings.{k}.net.{i}, .log_gain, .mask)", null),
            RealNvp => (null, "a realnvp has a PyTorch mapping only on points [D] with affine couplings (e.g. --data toy:moons)"),
            _ => (null, $"{name} has no PyTorch mapping; the models that have one: {SupportedList}"),
        };
    }

    /// <summary>The PyTorch module's name of one of our state-dict names, or null for state that is not a weight (MADE's step count).</summary>
    public static string? TheirName(ModelInstance model, string ours) => model.Module switch
    {
        Vae => VaeName(ours),
        Made => ours == "step" ? null : MadeLayer().Replace(ours, m => $"_net.{2 * int.Parse(m.Groups[1].Value)}."),
        GatedPixelCnn => GatedName(ours),
        RealNvp => RealNvpPart().Replace(ours, "couplings.$1.").Replace(".conditioner.", ".net.").Replace(".gain", ".log_gain"),
        _ => throw new ArgumentException($"{model.Recipe.Info.Name} has no PyTorch mapping.", nameof(model)),
    };

    /// <summary>
    /// The weights under the PyTorch names, plus the buffers the PyTorch module keeps and ours rebuilds from the options
    /// (MADE's masks): new CPU tensors, owned by the caller's dispose scope.
    /// </summary>
    public static Dictionary<string, Tensor> Export(ModelInstance model)
    {
        if (Describe(model).Refusal is string refusal) throw new InvalidInputException(refusal);
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (ours, value) in model.Module.state_dict())
            if (TheirName(model, ours) is string theirs) result[theirs] = value.detach().cpu().clone();
        if (model.Module is Made made)
            for (int l = 0; l < made.LayerCount; l++) result[$"_net.{2 * l}.mask"] = made.LayerMask(l).cpu();
        return result;
    }

    /// <summary>
    /// Loads a PyTorch state dict with these names into <paramref name="model"/>. Every missing, unexpected or wrong-shape
    /// name is listed in one line; floating-point tensors of another precision are converted. MADE's masks must equal the
    /// ones our options rebuild (mask_seed), since ours are not weights.
    /// </summary>
    /// <exception cref="InvalidInputException">The names or shapes do not fit, or the values are not finite.</exception>
    public static void Load(ModelInstance model, IReadOnlyDictionary<string, Tensor> theirs, string source)
    {
        if (Describe(model).Refusal is string refusal) throw new InvalidInputException(refusal);
        using var scope = NewDisposeScope();
        Dictionary<string, Tensor> expected = Export(model);
        var missing = expected.Keys.Where(k => !theirs.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        var unexpected = theirs.Keys.Where(k => !expected.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        var wrong = expected.Where(e => theirs.TryGetValue(e.Key, out Tensor? t) && !Fits(t, e.Value))
            .OrderBy(e => e.Key, StringComparer.Ordinal)
            .Select(e => $"{e.Key} {Shape(theirs[e.Key])} (expected {Shape(e.Value)})").ToList();
        if (missing.Count + unexpected.Count + wrong.Count > 0)
        {
            var parts = new List<string>();
            if (missing.Count > 0) parts.Add($"missing {string.Join(", ", missing)}");
            if (unexpected.Count > 0) parts.Add($"unexpected {string.Join(", ", unexpected)}");
            if (wrong.Count > 0) parts.Add($"wrong shape {string.Join(", ", wrong)} (give the --set options of the file's shapes)");
            throw new InvalidInputException($"{source} does not fit {model.Recipe.Info.Name} {Summary(model)}: {string.Join("; ", parts)}.");
        }
        foreach (var (name, value) in theirs)
            if (value.is_floating_point() && value.numel() > 0 && !value.isfinite().all().item<bool>())
                throw new InvalidInputException($"{source}: '{name}' holds NaN or infinite values.");
        var loaded = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (ours, own) in model.Module.state_dict())
            loaded[ours] = TheirName(model, ours) is string their ? theirs[their].to(own.dtype) : own.clone();
        if (model.Module is Made)
        {
            var differing = expected.Keys.Where(k => k.EndsWith(".mask", StringComparison.Ordinal) && !theirs[k].to(float32).eq(expected[k]).all().item<bool>()).ToList();
            if (differing.Count > 0)
                throw new InvalidInputException($"{source}: the masks {string.Join(", ", differing)} differ from the ones this made's mask_seed " +
                    $"{((Made)model.Module).Options.MaskSeed} builds; GenerativeSharp rebuilds MADE's masks from the seed and cannot take others.");
        }
        using (no_grad()) model.Module.load_state_dict(loaded, strict: true);
    }

    /// <summary>The options that decide shapes, for error lines: "(hidden 400, latent 20)".</summary>
    private static string Summary(ModelInstance model) => model.Module switch
    {
        Vae v => $"(hidden {v.Options.Hidden}, latent {v.Options.Latent}, event [{string.Join(", ", v.EventShape)}])",
        Made m => $"(hidden {m.Options.Hidden}, depth {m.Options.Depth}, event [{string.Join(", ", m.EventShape)}])",
        GatedPixelCnn g => $"(channels {g.Options.Channels}, layers {g.Options.Layers})",
        RealNvp r => $"(layers {r.Options.Layers}, hidden {r.Options.Hidden}, depth {r.Options.Depth})",
        _ => "",
    };

    private static bool Fits(Tensor file, Tensor own) =>
        file.shape.SequenceEqual(own.shape) && (file.dtype == own.dtype || (file.is_floating_point() && own.is_floating_point()));

    private static string Shape(Tensor t) => $"[{string.Join(", ", t.shape)}]";

    private static string? VaeName(string ours) => ours switch
    {
        _ when ours.StartsWith("encoder.body.linear0.", StringComparison.Ordinal) => "fc1." + ours[21..],
        _ when ours.StartsWith("encoder.fcMu.", StringComparison.Ordinal) => "fc21." + ours[13..],
        _ when ours.StartsWith("encoder.fcLogVar.", StringComparison.Ordinal) => "fc22." + ours[17..],
        _ when ours.StartsWith("decoder.body.linear0.", StringComparison.Ordinal) => "fc3." + ours[21..],
        _ when ours.StartsWith("decoder.output.", StringComparison.Ordinal) => "fc4." + ours[15..],
        _ => throw new ArgumentException($"the vae weight '{ours}' has no PyTorch name."),
    };

    private static string GatedName(string ours)
    {
        Match layer = GatedLayer().Match(ours);
        if (layer.Success)
        {
            int index = int.Parse(layer.Groups[1].Value);
            string prefix = index == 0 ? "_input" : $"_gated_layers.{index - 1}";
            string part = layer.Groups[2].Value switch
            {
                "vertical" => "_vstack_NxN", "horizontal" => "_hstack_1xN", "link" => "_link", "horizontalOut" => "_hstack_residual",
                var other => throw new ArgumentException($"the gated-pixelcnn weight '{ours}' has no PyTorch name ({other})."),
            };
            return $"{prefix}.{part}.{layer.Groups[3].Value}";
        }
        if (ours.StartsWith("hidden.", StringComparison.Ordinal)) return "_head.1." + ours[7..];
        if (ours.StartsWith("output.", StringComparison.Ordinal)) return "_head.3." + ours[7..];
        throw new ArgumentException($"the gated-pixelcnn weight '{ours}' has no PyTorch name.");
    }

    [GeneratedRegex(@"^layers\.(\d+)\.")]
    private static partial Regex MadeLayer();

    [GeneratedRegex(@"^layers\.(\d+)\.(\w+)\.(\w+)$")]
    private static partial Regex GatedLayer();

    [GeneratedRegex(@"^flow\.bijector\.parts\.(\d+)\.")]
    private static partial Regex RealNvpPart();
}
