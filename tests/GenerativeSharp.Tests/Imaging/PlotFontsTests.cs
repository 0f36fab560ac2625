using GenerativeSharp.Imaging;

namespace GenerativeSharp.Tests.Imaging;

public sealed class PlotFontsTests
{
    [Fact]
    public void ScottPlot_resolves_its_default_font_to_the_embedded_dejavu_faces()
    {
        PlotFonts.EnsureRegistered();
        (SkiaSharp.SKTypeface regular, SkiaSharp.SKTypeface bold) = PlotFonts.Faces;

        Assert.Equal(PlotFonts.Family, ScottPlot.Fonts.Default);
        Assert.Same(regular, ScottPlot.Fonts.GetTypeface(ScottPlot.Fonts.Default, bold: false, italic: false));
        Assert.Same(bold, ScottPlot.Fonts.GetTypeface(ScottPlot.Fonts.Default, bold: true, italic: false));
        Assert.Equal(("DejaVu Sans", false, true), (regular.FamilyName, regular.IsBold, bold.IsBold));
        Assert.True(regular.ContainsGlyphs("Training loss x1 x2 -0.5 log p(x)"));
    }

    [Fact]
    public void The_licence_is_embedded_beside_the_fonts()
    {
        using Stream? licence = typeof(PlotFonts).Assembly.GetManifestResourceStream("GenerativeSharp.Imaging.Fonts.LICENSE.txt");

        Assert.NotNull(licence);
        Assert.Contains("Bitstream", new StreamReader(licence).ReadToEnd());
    }
}
