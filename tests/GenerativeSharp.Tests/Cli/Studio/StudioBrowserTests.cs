using System.Text.RegularExpressions;
using GenerativeSharp.Imaging;
using PuppeteerSharp;
using PuppeteerSharp.Input;

namespace GenerativeSharp.Tests.Cli.Studio;

/// <summary>
/// The studio used the way a person uses it: headless Chromium (through PuppeteerSharp, pointed at the system
/// browser) clicks, drags, uploads and paints on the page, against the tiny runs of <see cref="StudioRunsFixture"/>.
/// Each view leaves a screenshot, studio-VIEW.png, in GENSHARP_STUDIO_SCREENSHOTS when set (docs/images is made so).
/// </summary>
[Collection(StudioCollection.Name)]
public sealed class StudioBrowserTests(StudioRunsFixture studio) : IAsyncLifetime
{
    private const string AllLoaded = "(selector, least) => { const images = [...document.querySelectorAll(selector)]; " +
        "return images.length >= least && images.every(i => i.complete && i.naturalWidth > 0); }";

    private readonly TempDirectory scratch = new();
    private IBrowser browser = null!;
    private IPage page = null!;

    public async Task InitializeAsync()
    {
        if (ChromiumFactAttribute.Executable is null) return;
        browser = await Puppeteer.LaunchAsync(new LaunchOptions
        {
            ExecutablePath = ChromiumFactAttribute.Executable,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
            UserDataDir = scratch.File("profile"),
        });
        page = await browser.NewPageAsync();
        await page.SetViewportAsync(new ViewPortOptions { Width = 1000, Height = 720 });
        await page.GoToAsync(studio.Url.ToString(), WaitUntilNavigation.Networkidle0);
        await Until(AllLoaded, "#gallery-grid .tile img", 8);
    }

    public async Task DisposeAsync()
    {
        if (browser is not null) await browser.CloseAsync();
        scratch.Dispose();
    }

    [ChromiumFact]
    public async Task Breeding_two_clicked_images_gives_children_that_gensharp_breed_reproduces()
    {
        await Screenshot("gallery");
        await page.ClickAsync("#gallery-grid .tile[data-seed='2']");
        await page.ClickAsync("#gallery-grid .tile[data-seed='5']");
        await page.ClickAsync("nav button[data-view='breed']");
        Assert.Equal("2, 5", await page.EvaluateExpressionAsync<string>("document.getElementById('parents').textContent"));
        await page.ClickAsync("#breed-button");
        await Until(AllLoaded, "#children-grid .tile img", 6);
        string[] children = await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('#children-grid .tile')].map(t => t.dataset.seed)");
        string command = await page.EvaluateExpressionAsync<string>("document.getElementById('breed-command').textContent");
        Assert.Matches(@"--parents 2,5 --children 6 --mutation 0\.25 --seed 0$", command);

        // A child is a parent too: a second generation from one child and one gallery image.
        await page.ClickAsync($"#children-grid .tile[data-seed='{children[0]}']");
        await page.ClickAsync("#breed-button");
        await Until(AllLoaded, "#children-grid .tile img", 12);
        Assert.Equal(2, await page.EvaluateExpressionAsync<int>("document.querySelectorAll('#lineage li').length"));
        await Screenshot("breed");

        CliOutcome cli = CliHost.Run("breed", studio.Runs["vae"], "--parents", "2,5", "--children", "6", "--mutation", "0.25", "--seed", "0",
            "--out", scratch.File("breed.png"));
        Assert.True(cli.Code == 0, cli.Error);
        Assert.Contains("children " + string.Join(", ", children.Reverse()), cli.Out);   // the page shows the newest child first
    }

    [ChromiumFact]
    public async Task Moving_the_interpolation_slider_walks_the_path()
    {
        await page.ClickAsync("#gallery-grid .tile[data-seed='1']");
        await page.ClickAsync("#gallery-grid .tile[data-seed='6']");
        await page.ClickAsync("nav button[data-view='interpolate']");
        await page.SelectAsync("#interp-path", "spherical");
        await page.FocusAsync("#interp-slider");
        for (int i = 0; i < 4; i++) await page.Keyboard.PressAsync(Key.ArrowRight);
        await Until("() => { const i = document.getElementById('interp-image'); return i.src.includes('index=4') && i.src.includes('a=1') && i.src.includes('b=6') " +
            "&& i.src.includes('spherical') && i.complete && i.naturalWidth > 0; }");
        Assert.Equal("4 / 8", await page.EvaluateExpressionAsync<string>("document.getElementById('interp-position').textContent"));
        await Screenshot("interpolate");
    }

    [ChromiumFact]
    public async Task An_uploaded_png_is_translated_and_a_text_file_gets_a_clear_error()
    {
        await page.SelectAsync("#run-select", "pix2pix");
        await Until("() => !document.querySelector(\"nav button[data-view='translate']\").disabled");
        await page.ClickAsync("nav button[data-view='translate']");
        string text = scratch.File("notes.txt");
        await File.WriteAllTextAsync(text, "not an image");
        await (await page.QuerySelectorAsync("#translate-file")).UploadFileAsync(text);
        await Until("() => !document.getElementById('translate-error').hidden");
        Assert.Contains("not a PNG or JPEG", await page.EvaluateExpressionAsync<string>("document.getElementById('translate-error').textContent"));

        var pixels = new byte[40 * 40 * 3];
        for (int y = 0; y < 40; y++)
            for (int x = 0; x < 40; x++)
                for (int c = 0; c < 3; c++)
                    pixels[(y * 40 + x) * 3 + c] = (byte)(Math.Abs(x - 20) < 9 && Math.Abs(y - 20) < 7 ? 240 - 70 * c : 30 + 5 * c);
        string image = scratch.File("shape.png");
        PngFile.Write(image, pixels, 40, 40, 3);
        await (await page.QuerySelectorAsync("#translate-file")).UploadFileAsync(image);
        await Until("() => { const o = document.getElementById('translate-output'); return !o.hidden && o.complete && o.naturalWidth === 32; }");
        Assert.True(await page.EvaluateExpressionAsync<bool>("document.getElementById('translate-error').hidden"));
        await Screenshot("translate");
    }

    [ChromiumFact]
    public async Task Painting_a_mask_over_a_test_image_gets_completions()
    {
        await page.SelectAsync("#run-select", "made");
        await Until("() => !document.querySelector(\"nav button[data-view='repair']\").disabled");
        await page.ClickAsync("nav button[data-view='repair']");
        await page.TypeAsync("#repair-test-index", "5");
        await page.ClickAsync("#repair-test-button");
        await Until("() => state.repair && state.repair.gray.some(v => v > 0)");
        BoundingBox box = await (await page.QuerySelectorAsync("#repair-canvas")).BoundingBoxAsync();
        await page.Mouse.MoveAsync(box.X + 20, box.Y + box.Height * 0.6m);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(box.X + box.Width - 20, box.Y + box.Height * 0.7m, new MoveOptions { Steps = 12 });
        await page.Mouse.UpAsync();
        int painted = await page.EvaluateExpressionAsync<int>("state.repair.mask.reduce((a, b) => a + b, 0)");
        Assert.True(painted > 20, $"{painted} pixels painted");
        await page.ClickAsync("#repair-button");
        await Until("() => { const o = document.getElementById('repair-output'); return !o.hidden && o.complete && o.naturalWidth > 4 * 28; }");
        Assert.True(await page.EvaluateExpressionAsync<bool>("document.getElementById('repair-error').hidden"));
        await Screenshot("repair");
    }

    [ChromiumFact]
    public async Task The_runs_view_charts_the_metrics_and_follows_new_lines()
    {
        await page.SelectAsync("#run-select", "cgan");
        await page.ClickAsync("nav button[data-view='runs']");
        await Until("() => /\\d+ lines/.test(document.getElementById('runs-status').textContent)");
        string status = await page.EvaluateExpressionAsync<string>("document.getElementById('runs-status').textContent");
        int lines = int.Parse(Regex.Match(status, @"(\d+) lines").Groups[1].Value);
        await File.AppendAllTextAsync(Path.Combine(studio.Runs["cgan"], "metrics.jsonl"), "{\"step\":4,\"epoch\":0,\"loss\":1.5}\n");   // training goes on
        await Until($"() => document.getElementById('runs-status').textContent.startsWith('{lines + 1} lines')");
        Assert.True(await page.EvaluateExpressionAsync<int>("document.querySelectorAll('#runs-metric option').length") >= 1);
        await Screenshot("runs");
    }

    private Task Until(string function, params object[] args) =>
        page.WaitForFunctionAsync(function, new WaitForFunctionOptions { Timeout = 60_000, PollingInterval = 100 }, args);

    private async Task Screenshot(string view)
    {
        string file = scratch.File($"studio-{view}.png");
        await page.ScreenshotAsync(file);
        Assert.True(new FileInfo(file).Length > 1000);
        if (Environment.GetEnvironmentVariable("GENSHARP_STUDIO_SCREENSHOTS") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            File.Copy(file, Path.Combine(folder, $"studio-{view}.png"), overwrite: true);
        }
    }
}
