using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GenerativeSharp.Imaging;
using StbImageSharp;

namespace GenerativeSharp.Tests.Cli.Studio;

/// <summary>The studio's JSON + PNG API (docs/studio.md) over HTTP, without a browser: each view's call, and the refusals.</summary>
[Collection(StudioCollection.Name)]
public sealed class StudioApiTests(StudioRunsFixture studio)
{
    private HttpClient Client => studio.Client;

    [Fact]
    public async Task The_run_list_and_each_runs_views()
    {
        using JsonDocument list = JsonDocument.Parse(await Client.GetStringAsync("api/runs"));
        Assert.Equal(["vae", "cgan", "made", "pix2pix", "ddpm"], list.RootElement.EnumerateArray().Select(r => r.GetProperty("name").GetString()));
        JsonElement vae = await Json("api/runs/vae"), cgan = await Json("api/runs/cgan"), made = await Json("api/runs/made"), pix = await Json("api/runs/pix2pix");
        Assert.True(vae.GetProperty("breeds").GetBoolean());
        Assert.Equal(10, cgan.GetProperty("classes").GetInt32());
        Assert.True(made.GetProperty("completes").GetBoolean());
        Assert.False(made.GetProperty("breeds").GetBoolean());
        Assert.True(pix.GetProperty("translates").GetBoolean());
        Assert.False(pix.GetProperty("samples").GetBoolean());
    }

    [Fact]
    public async Task A_diffusion_gallery_image_takes_steps_a_label_and_guidance()
    {
        JsonElement ddpm = await Json("api/runs/ddpm");
        Assert.True(ddpm.GetProperty("diffusion").GetBoolean());
        Assert.Equal(10, ddpm.GetProperty("classes").GetInt32());
        string guided = "api/runs/ddpm/sample.png?seed=3&label=4&steps=5&guidance=2";
        byte[] first = await Client.GetByteArrayAsync(guided), again = await Client.GetByteArrayAsync(guided);
        Assert.Equal(first, again);
        Assert.Equal((28, 28), Size(first));
        Assert.NotEqual(first, await Client.GetByteArrayAsync("api/runs/ddpm/sample.png?seed=3&label=4&steps=5&guidance=0"));
        Assert.NotEqual(first, await Client.GetByteArrayAsync("api/runs/ddpm/sample.png?seed=3&label=4&steps=2&guidance=2"));
        using HttpResponseMessage tooMany = await Client.GetAsync("api/runs/ddpm/sample.png?seed=3&steps=11");   // the model has T = 10
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        using HttpResponseMessage badLabel = await Client.GetAsync("api/runs/ddpm/sample.png?seed=3&label=10&guidance=2");
        Assert.Equal(HttpStatusCode.BadRequest, badLabel.StatusCode);
    }

    [Fact]
    public async Task A_gallery_image_is_a_png_and_the_same_seed_gives_the_same_bytes()
    {
        byte[] first = await Client.GetByteArrayAsync("api/runs/vae/sample.png?seed=7"), again = await Client.GetByteArrayAsync("api/runs/vae/sample.png?seed=7");
        Assert.Equal(first, again);
        Assert.Equal((28, 28), Size(first));
        Assert.NotEqual(first, await Client.GetByteArrayAsync("api/runs/vae/sample.png?seed=8"));
        Assert.Equal((28, 28), Size(await Client.GetByteArrayAsync("api/runs/cgan/sample.png?seed=1&label=4")));
        Assert.Equal((28, 28), Size(await Client.GetByteArrayAsync("api/runs/made/sample.png?seed=1")));
    }

    [Fact]
    public async Task Breeding_gives_the_children_that_gensharp_breed_gives_and_they_can_be_drawn_and_interpolated()
    {
        using HttpResponseMessage response = await Client.PostAsJsonAsync("api/runs/vae/breed", new { parents = new[] { 11, 12 }, children = 3, mutation = 0.3, seed = 5 });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using JsonDocument answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        long[] children = [.. answer.RootElement.GetProperty("children").EnumerateArray().Select(c => c.GetInt64())];
        Assert.Equal(3, children.Length);
        Assert.Contains("--parents 11,12 --children 3 --mutation 0.3 --seed 5", answer.RootElement.GetProperty("command").GetString());

        using var scratch = new TempDirectory();
        CliOutcome cli = CliHost.Run("breed", studio.Runs["vae"], "--parents", "11,12", "--children", "3", "--mutation", "0.3", "--seed", "5", "--out", scratch.File("b.png"));
        Assert.True(cli.Code == 0, cli.Error);
        Assert.Contains($"children {string.Join(", ", children)}", cli.Out);

        Assert.Equal((28, 28), Size(await Client.GetByteArrayAsync($"api/runs/vae/sample.png?seed={children[0]}")));
        using JsonDocument genomes = JsonDocument.Parse(await Client.GetStringAsync("api/runs/vae/genomes.json"));
        Assert.Equal(3, genomes.RootElement.GetProperty(children[1].ToString()).GetArrayLength());
        byte[] start = await Client.GetByteArrayAsync($"api/runs/vae/interpolate.png?a=11&b={children[0]}&steps=5&index=0");
        Assert.Equal(await Client.GetByteArrayAsync("api/runs/vae/sample.png?seed=11"), start);
        Assert.Equal((28, 28), Size(await Client.GetByteArrayAsync($"api/runs/vae/interpolate.png?a=11&b=12&steps=5&index=3&path=spherical")));
    }

    [Fact]
    public async Task An_uploaded_png_is_translated_and_a_painted_mask_is_completed_keeping_known_pixels()
    {
        var colour = new byte[50 * 30 * 3];
        for (int i = 0; i < colour.Length; i++) colour[i] = (byte)(i * 7 % 251);
        using HttpResponseMessage translated = await Client.PostAsync("api/runs/pix2pix/translate", Form(("image", Png(colour, 50, 30, 3))));
        Assert.Equal(HttpStatusCode.OK, translated.StatusCode);
        Assert.Equal((32, 32), Size(await translated.Content.ReadAsByteArrayAsync()));

        var gray = new byte[28 * 28];
        var mask = new byte[28 * 28];
        for (int i = 0; i < gray.Length; i++)
        {
            gray[i] = (byte)(i % 28 < 14 ? 255 : 0);
            mask[i] = (byte)(i / 28 >= 20 ? 255 : 0);                                    // the bottom rows are missing
        }
        using HttpResponseMessage completed = await Client.PostAsync("api/runs/made/complete?count=2&seed=3",
            Form(("image", Png(gray, 28, 28, 1)), ("mask", Png(mask, 28, 28, 1))));
        Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
        ImageResult strip = ImageResult.FromMemory(await completed.Content.ReadAsByteArrayAsync(), ColorComponents.Grey);
        Assert.Equal((2 * 28 + 3 * 2, 28 + 2 * 2), (strip.Width, strip.Height));
        for (int y = 0; y < 20; y++)
            for (int x = 0; x < 28; x++)
                Assert.Equal(gray[y * 28 + x], strip.Data[(y + 2) * strip.Width + x + 2]);   // the first completion keeps every known pixel
        Assert.Equal((28, 28), Size(await Client.GetByteArrayAsync("api/runs/made/test-image.png?index=3")));
        Assert.Equal((28, 28), Size(await Client.GetByteArrayAsync("api/runs/made/hole.png?shape=watermark")));
    }

    [Theory]
    [InlineData("api/runs/no-such-run", 404, "unknown run")]
    [InlineData("api/runs/..%2F..%2Fetc%2Fpasswd/sample.png", 404, "unknown run")]
    [InlineData("api/runs/%2E%2E/metrics", 404, "no such page")]
    [InlineData("../../etc/passwd", 404, "no such page")]
    [InlineData("api/runs/cgan/sample.png?label=10", 400, "label 10: expected a class in [0, 9]")]
    [InlineData("api/runs/cgan/sample.png?label=-1", 400, "label -1")]
    [InlineData("api/runs/vae/sample.png?label=1", 400, "not class-conditional")]
    [InlineData("api/runs/vae/sample.png?seed=abc", 400, "seed abc: expected an integer")]
    [InlineData("api/runs/vae/interpolate.png?a=1&b=2&index=9", 400, "index 9")]
    [InlineData("api/runs/made/interpolate.png?a=1&b=2", 400, "needs a model with a latent code")]
    [InlineData("api/runs/pix2pix/sample.png", 400, "does not draw images on its own")]
    [InlineData("api/runs/made/hole.png?shape=star", 400, "expected lower-half, right-half, center or watermark")]
    public async Task A_bad_get_gets_a_clear_4xx_json_answer_and_the_server_stays_up(string path, int status, string reason)
    {
        using HttpResponseMessage response = await Client.GetAsync(path);
        await AssertRefused(response, status, reason);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("api/runs")).StatusCode);
    }

    [Fact]
    public async Task Bad_uploads_and_bodies_get_clear_4xx_answers_and_the_server_stays_up()
    {
        await AssertRefused(await Client.PostAsync("api/runs/pix2pix/translate", Form(("image", "not an image at all"u8.ToArray()))), 415, "not a PNG or JPEG");
        byte[] huge = new byte[6 << 20];
        new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }.CopyTo(huge, 0);
        await AssertRefused(await Client.PostAsync("api/runs/pix2pix/translate", Form(("image", huge))), 413, "up to 4 MiB");
        // Past Kestrel's body limit the answer comes before the body is read: the client waits for it (Expect: 100-continue).
        using var oversized = new HttpRequestMessage(HttpMethod.Post, "api/runs/pix2pix/translate") { Content = Form(("image", new byte[20 << 20])) };
        oversized.Headers.ExpectContinue = true;
        await AssertRefused(await Client.SendAsync(oversized), 413, "larger than the studio takes");
        await AssertRefused(await Client.PostAsync("api/runs/pix2pix/translate", Form(("picture", Png(new byte[12], 2, 2, 3)))), 400, "form field 'image'");
        await AssertRefused(await Client.PostAsync("api/runs/made/complete", Form(("image", Png(new byte[100], 10, 10, 1)), ("mask", Png(new byte[100], 10, 10, 1)))),
            400, "the model's images are 28x28");
        await AssertRefused(await Client.PostAsync("api/runs/vae/breed", new StringContent("{nope", System.Text.Encoding.UTF8, "application/json")), 400, "JSON");
        await AssertRefused(await Client.PostAsJsonAsync("api/runs/vae/breed", new { parents = new[] { 1 }, children = 1000 }), 400, "children 1000");
        await AssertRefused(await Client.PostAsJsonAsync("api/runs/vae/breed", new { parents = new[] { 1 }, mutation = 2.0 }), 400, "--mutation 2");
        await AssertRefused(await Client.PostAsJsonAsync("api/runs/made/breed", new { parents = new[] { 1 } }), 400, "latent code");
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("api/runs/vae/sample.png?seed=1")).StatusCode);
    }

    [Fact]
    public async Task The_metrics_of_a_run_come_as_json_lines()
    {
        JsonElement metrics = await Json("api/runs/vae/metrics");
        JsonElement last = metrics.GetProperty("lines").EnumerateArray().Last();
        Assert.Equal(10, last.GetProperty("step").GetInt32());
        Assert.True(last.TryGetProperty("loss", out _));
    }

    [Fact]
    public async Task The_page_and_its_scripts_are_served_from_the_assembly()
    {
        string page = await Client.GetStringAsync("");
        Assert.Contains("GenerativeSharp studio", page);
        Assert.Contains("loadRuns", await Client.GetStringAsync("studio.js"));
        Assert.Contains(".tile", await Client.GetStringAsync("studio.css"));
    }

    internal static async Task AssertRefused(HttpResponseMessage response, int status, string reason)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {body}");
        using JsonDocument json = JsonDocument.Parse(body);
        Assert.Contains(reason, json.RootElement.GetProperty("error").GetString());
    }

    private async Task<JsonElement> Json(string path)
    {
        using JsonDocument document = JsonDocument.Parse(await Client.GetStringAsync(path));
        return document.RootElement.Clone();
    }

    private static (int, int) Size(byte[] png)
    {
        ImageResult image = ImageResult.FromMemory(png);
        return (image.Width, image.Height);
    }

    internal static byte[] Png(byte[] pixels, int width, int height, int channels)
    {
        using var scratch = new TempDirectory();
        PngFile.Write(scratch.File("x.png"), pixels, width, height, channels);
        return File.ReadAllBytes(scratch.File("x.png"));
    }

    private static MultipartFormDataContent Form(params (string Field, byte[] Bytes)[] files)
    {
        var form = new MultipartFormDataContent();
        foreach (var (field, bytes) in files) form.Add(new ByteArrayContent(bytes), field, field + ".png");
        return form;
    }
}
