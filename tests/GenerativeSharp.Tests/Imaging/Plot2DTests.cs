using GenerativeSharp.Imaging;
using StbImageSharp;
using TorchSharp;

namespace GenerativeSharp.Tests.Imaging;

public sealed class Plot2DTests
{
    [Fact]
    public void Every_kind_of_plot_writes_a_png()
    {
        string? keep = Environment.GetEnvironmentVariable("GENERATIVESHARP_EXAMPLES_DIR");
        using var dir = new TempDirectory();
        string outDir = string.IsNullOrEmpty(keep) ? dir.Path : keep;
        PointSeries data = Plot2DExamples.TwoBlobs("data", 10_000, seed: 1);
        PointSeries model = Plot2DExamples.TwoBlobs("model samples", 2_000, seed: 2);
        double[,] density = Plot2DExamples.LogDensity(60, 80);

        Plot2D.Scatter(Path.Combine(outDir, "scatter.png"), "Two moons, epoch 3", [data, model], Plot2DExamples.Limits);
        Plot2D.Heatmap(Path.Combine(outDir, "heatmap.png"), "log p(x)", density, Plot2DExamples.Limits);
        Plot2D.Panels(Path.Combine(outDir, "panels.png"),
        [
            new ScatterPanel("data", Plot2DExamples.Limits, [data]),
            new ScatterPanel("model samples", Plot2DExamples.Limits, [model]),
            new HeatmapPanel("model density", Plot2DExamples.Limits, density),
        ]);
        Plot2D.Lines(Path.Combine(outDir, "lines.png"), "Training loss", "step", "loss",
            [Plot2DExamples.Loss("train", 200, 2.0), Plot2DExamples.Loss("validation", 200, 2.3)]);
        using (var ramp = torch.linspace(-0.2, 1.2, 5 * 3 * 8 * 8).reshape(5, 3, 8, 8))
        {
            ImageGrid.Write(Path.Combine(outDir, "grid.png"), ramp, columns: 3, scale: 4);
        }

        foreach ((string name, int width, int height) in new[]
                 { ("scatter", 640, 600), ("heatmap", 640, 600), ("panels", 3 * 520, 500), ("lines", 720, 420), ("grid", 3 * 32 + 4 * 2, 2 * 32 + 3 * 2) })
        {
            ImageResult read = ImageResult.FromMemory(File.ReadAllBytes(Path.Combine(outDir, name + ".png")), ColorComponents.RedGreenBlue);
            Assert.Equal((width, height), (read.Width, read.Height));
        }
    }

    [Fact]
    public void Same_input_gives_identical_png_bytes()
    {
        using var dir = new TempDirectory();
        PointSeries points = Plot2DExamples.TwoBlobs("data", 500, seed: 3);

        Plot2D.Scatter(dir.File("a.png"), "title", [points], Plot2DExamples.Limits, 320, 300);
        Plot2D.Scatter(dir.File("b.png"), "title", [points], Plot2DExamples.Limits, 320, 300);
        Plot2D.Lines(dir.File("c.png"), "loss", "step", "loss", [Plot2DExamples.Loss("train", 50, 1)], 320, 200);
        Plot2D.Lines(dir.File("d.png"), "loss", "step", "loss", [Plot2DExamples.Loss("train", 50, 1)], 320, 200);

        Assert.Equal(File.ReadAllBytes(dir.File("a.png")), File.ReadAllBytes(dir.File("b.png")));
        Assert.Equal(File.ReadAllBytes(dir.File("c.png")), File.ReadAllBytes(dir.File("d.png")));
        Assert.Equal(4, Directory.GetFiles(dir.Path).Length); // no temporary files left behind
    }

    [Fact]
    public void The_title_is_drawn_in_dark_pixels_at_the_top()
    {
        PointSeries points = Plot2DExamples.TwoBlobs("data", 200, seed: 4);

        RgbImage titled = Plot2D.RenderScatter("A title", [points], Plot2DExamples.Limits, 320, 300);
        RgbImage untitled = Plot2D.RenderScatter("", [points], Plot2DExamples.Limits, 320, 300);

        const int strip = 24;
        Assert.NotEqual(titled.Pixels[..(320 * strip * 3)], untitled.Pixels[..(320 * strip * 3)]);
        Assert.True(CountDark(titled, 0, 0, 320, strip) > 20, "expected title text in the top strip");
    }

    [Fact]
    public void Axis_labels_tick_labels_and_legend_text_are_drawn()
    {
        PointSeries points = Plot2DExamples.TwoBlobs("data", 10, seed: 5);
        PointSeries noLabel = points with { Label = "a much longer legend label" };

        RgbImage image = Plot2D.RenderScatter("", [points], Plot2DExamples.Limits, 320, 300);
        RgbImage otherLegend = Plot2D.RenderScatter("", [noLabel], Plot2DExamples.Limits, 320, 300);

        Assert.True(CountDark(image, 0, 100, 20, 200) > 10, "expected the y label 'x2' at the left edge");
        Assert.True(CountDark(image, 100, 280, 220, 300) > 10, "expected the x label 'x1' at the bottom");
        Assert.True(CountDark(image, 20, 0, 50, 300) > 50, "expected y tick labels");
        Assert.NotEqual(image.Pixels, otherLegend.Pixels); // only the legend text differs
    }

    [Fact]
    public void Heatmap_rows_count_from_the_bottom_and_columns_from_the_left()
    {
        var rising = new double[10, 10]; // value = row + column: smallest bottom left, largest top right
        for (int r = 0; r < 10; r++)
        {
            for (int c = 0; c < 10; c++)
            {
                rising[r, c] = r + c;
            }
        }

        RgbImage image = Plot2D.RenderHeatmap("", rising, Plot2DExamples.Limits, 400, 400);

        // Viridis runs from dark purple (low) to bright yellow (high).
        int Brightness(int x, int y) => image[x, y].R + image[x, y].G + image[x, y].B;
        (int x0, int y0, int x1, int y1) = DataArea(image);
        Assert.True(Brightness(x1 - 5, y0 + 5) > 500, "top right should be yellow");
        Assert.True(Brightness(x0 + 5, y1 - 5) < 250, "bottom left should be dark purple");
    }

    [Fact]
    public void Heatmap_draws_nan_and_minus_infinity_as_the_minimum()
    {
        double[,] values = { { double.NegativeInfinity, 1 }, { double.NaN, 3 }, { double.PositiveInfinity, 2 } };

        double[,] topRowFirst = Plot2D.TopRowFirst(values);

        Assert.Equal(new double[,] { { 3, 2 }, { 1, 3 }, { 1, 1 } }, topRowFirst);
        Assert.Equal(new double[,] { { 0, 0 } }, Plot2D.TopRowFirst(new double[,] { { double.NaN, double.NegativeInfinity } }));
        using var dir = new TempDirectory();
        Plot2D.Heatmap(dir.File("h.png"), "log density", Plot2DExamples.LogDensity(20, 20), Plot2DExamples.Limits, 320, 300);
        Plot2D.Heatmap(dir.File("nan.png"), "all NaN", new double[,] { { double.NaN } }, Plot2DExamples.Limits, 320, 300);
        Assert.Equal(2, Directory.GetFiles(dir.Path).Length);
    }

    [Fact]
    public void Panels_are_the_single_plots_side_by_side()
    {
        var limits = Plot2DExamples.Limits;
        PointSeries points = Plot2DExamples.TwoBlobs("data", 100, seed: 6);
        double[,] density = Plot2DExamples.LogDensity(8, 8);

        RgbImage panels = Plot2D.RenderPanels([new ScatterPanel("s", limits, [points]), new HeatmapPanel("h", limits, density)], 200, 180);
        RgbImage scatter = Plot2D.RenderScatter("s", [points], limits, 200, 180);
        RgbImage heatmap = Plot2D.RenderHeatmap("h", density, limits, 200, 180);

        Assert.Equal((400, 180), (panels.Width, panels.Height));
        for (int y = 0; y < 180; y++)
        {
            Assert.Equal(scatter.Pixels.AsSpan(y * 200 * 3, 200 * 3), panels.Pixels.AsSpan(y * 400 * 3, 200 * 3));
            Assert.Equal(heatmap.Pixels.AsSpan(y * 200 * 3, 200 * 3), panels.Pixels.AsSpan(((y * 400) + 200) * 3, 200 * 3));
        }
    }

    [Fact]
    public void Plots_drawn_on_several_threads_at_once_are_identical()
    {
        PointSeries points = Plot2DExamples.TwoBlobs("data", 300, seed: 7);

        RgbImage[] images = Enumerable.Range(0, 4).AsParallel()
            .Select(_ => Plot2D.RenderScatter("same", [points], Plot2DExamples.Limits, 200, 180)).ToArray();

        Assert.All(images, image => Assert.Equal(images[0].Pixels, image.Pixels));
    }

    [Fact]
    public void Non_finite_points_are_left_out_without_error()
    {
        var points = new PointSeries("data", [0f, float.NaN, 1f], [0f, 1f, float.PositiveInfinity]);
        var line = new LineSeries("loss", [0, 1, 2, 3], [1, double.NaN, 0.5, 0.4]);

        Plot2D.RenderScatter("t", [points], Plot2DExamples.Limits, 200, 180);
        Plot2D.RenderLines("t", "step", "loss", [line], 200, 180);
        Plot2D.RenderScatter("t", [new PointSeries("empty", [], []), new PointSeries("nan", [float.NaN], [0f])], Plot2DExamples.Limits, 200, 180);
        Plot2D.RenderLines("t", "step", "loss", [new LineSeries("empty", [], []), new LineSeries("nan", [0], [double.NaN])], 200, 180);
    }

    [Fact]
    public void Point_series_come_from_n_by_2_tensors_and_arrays()
    {
        using var tensor = torch.tensor(new[] { 1f, 2f, 3f, 4f, 5f, 6f }).reshape(3, 2);

        PointSeries fromTensor = PointSeries.FromTensor("t", tensor);
        PointSeries fromArray = PointSeries.FromArray("a", new float[,] { { 1, 2 }, { 3, 4 } });

        Assert.Equal([1f, 3f, 5f], fromTensor.X);
        Assert.Equal([2f, 4f, 6f], fromTensor.Y);
        Assert.Equal([1f, 3f], fromArray.X);
        Assert.Equal([2f, 4f], fromArray.Y);
        using var wrong = torch.zeros(3, 3);
        var e = Assert.Throws<ArgumentException>(() => PointSeries.FromTensor("w", wrong));
        Assert.Contains("[n, 2]", e.Message);
        Assert.Contains("[3, 3]", e.Message);
    }

    [Fact]
    public void Bad_arguments_are_rejected_with_expected_and_actual()
    {
        var limits = Plot2DExamples.Limits;
        var uneven = new PointSeries("uneven", [1f, 2f], [1f]);
        Assert.Contains("got 2 and 1", Assert.Throws<ArgumentException>(() => Plot2D.RenderScatter("t", [uneven], limits, 200, 180)).Message);
        Assert.Contains("at least one series", Assert.Throws<ArgumentException>(() => Plot2D.RenderScatter("t", [], limits, 200, 180)).Message);
        Assert.Contains("XMin < XMax", Assert.Throws<ArgumentException>(
            () => Plot2D.RenderHeatmap("t", new double[1, 1], new AxisLimits(1, 1, 0, 1), 200, 180)).Message);
        Assert.Contains("got 10x180", Assert.Throws<ArgumentException>(
            () => Plot2D.RenderHeatmap("t", new double[1, 1], limits, 10, 180)).Message);
        Assert.Contains("[0, 3]", Assert.Throws<ArgumentException>(
            () => Plot2D.RenderHeatmap("t", new double[0, 3], limits, 200, 180)).Message);
        Assert.Contains("at least one panel", Assert.Throws<ArgumentException>(() => Plot2D.RenderPanels([], 200, 180)).Message);
        Assert.Equal(new AxisLimits(-2, 2, -2, 2), AxisLimits.Square(2));
    }

    /// <summary>Pixels in [x0, x1) x [y0, y1) darker than mid gray in every channel (text is black).</summary>
    private static int CountDark(RgbImage image, int x0, int y0, int x1, int y1)
    {
        int count = 0;
        for (int y = y0; y < y1; y++)
        {
            for (int x = x0; x < x1; x++)
            {
                var (r, g, b) = image[x, y];
                count += r < 100 && g < 100 && b < 100 ? 1 : 0;
            }
        }
        return count;
    }

    /// <summary>The bounding box of the non-white, non-black pixels along the middle row and column (the heat map).</summary>
    private static (int X0, int Y0, int X1, int Y1) DataArea(RgbImage image)
    {
        static bool Coloured((byte R, byte G, byte B) p) => Math.Max(p.R, Math.Max(p.G, p.B)) - Math.Min(p.R, Math.Min(p.G, p.B)) > 30;
        int midY = image.Height / 2, midX = image.Width / 3;
        int x0 = Enumerable.Range(0, image.Width).First(x => Coloured(image[x, midY]));
        int y0 = Enumerable.Range(0, image.Height).First(y => Coloured(image[midX, y]));
        int y1 = Enumerable.Range(0, image.Height).Last(y => Coloured(image[midX, y]));
        int x1 = Enumerable.Range(0, image.Width / 2).Select(i => (image.Width / 2) + i).TakeWhile(x => Coloured(image[x, midY])).Last();
        return (x0, y0, x1, y1);
    }
}
