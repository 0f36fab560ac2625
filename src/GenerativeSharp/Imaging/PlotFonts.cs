using System.Reflection;
using ScottPlot;
using SkiaSharp;

namespace GenerativeSharp.Imaging;

/// <summary>
/// Makes ScottPlot draw text with the DejaVu Sans faces embedded in this assembly
/// (Imaging/Fonts, Bitstream Vera licence beside them). On a headless Linux machine without
/// fontconfig, ScottPlot's system font lookup yields a typeface with no glyphs and every label comes
/// out blank; a resolver that serves the embedded faces fixes that without touching the disk.
/// </summary>
internal static class PlotFonts
{
    /// <summary>The family name under which the embedded faces are registered.</summary>
    public const string Family = "DejaVu Sans";

    // Registration mutates ScottPlot's process-wide font settings, so it runs once (Lazy is thread-safe).
    private static readonly Lazy<EmbeddedFontResolver> Registration = new(Register, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Registers the embedded faces and makes them ScottPlot's default, once per process.</summary>
    public static void EnsureRegistered() => _ = Registration.Value;

    /// <summary>The embedded (regular, bold) faces, registered first if need be.</summary>
    public static (SKTypeface Regular, SKTypeface Bold) Faces =>
        (Registration.Value.RegularFace, Registration.Value.BoldFace);

    private static EmbeddedFontResolver Register()
    {
        var resolver = new EmbeddedFontResolver(
            LoadTypeface("DejaVuSans.ttf"), LoadTypeface("DejaVuSans-Bold.ttf"));
        // First in the list, so the system resolver never gets to answer for our family.
        ScottPlot.Fonts.FontResolvers.Insert(0, resolver);
        ScottPlot.Fonts.Default = Family;
        ScottPlot.Fonts.Sans = Family;
        return resolver;
    }

    private static SKTypeface LoadTypeface(string fileName)
    {
        string name = $"GenerativeSharp.Imaging.Fonts.{fileName}";
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded font '{name}' is missing from the assembly.");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        // SKData keeps its own copy of the bytes; the typeface holds a reference to it for the process lifetime.
        return SKTypeface.FromData(SKData.CreateCopy(memory.ToArray()))
            ?? throw new InvalidOperationException($"Embedded font '{name}' could not be read by SkiaSharp.");
    }

    /// <summary>Answers requests for <see cref="Family"/> (any other name is left to the next resolver).</summary>
    private sealed class EmbeddedFontResolver(SKTypeface regularFace, SKTypeface boldFace) : IFontResolver
    {
        public SKTypeface RegularFace => regularFace;

        public SKTypeface BoldFace => boldFace;

        public SKTypeface? CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing spacing) =>
            Matches(fontName) ? ((int)weight >= (int)FontWeight.SemiBold ? boldFace : regularFace) : null;

        public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic) =>
            Matches(fontName) ? (bold ? boldFace : regularFace) : null;

        private static bool Matches(string fontName) => string.Equals(fontName, Family, StringComparison.OrdinalIgnoreCase);
    }
}
