using GenerativeSharp.Latent;
using GenerativeSharp.Models.Translation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace GenerativeSharp.Cli.Studio;

/// <summary>
/// The studio's routes (docs/studio.md): the page's three files, and the JSON + PNG API over the run table.
/// Every run is looked up by name in the fixed <see cref="RunTable"/>; every torch call goes through the run's gate.
/// </summary>
internal static class StudioEndpoints
{
    public static void Map(WebApplication app, RunTable runs)
    {
        foreach (var (path, (resource, type)) in StudioAssets.Files)
        {
            byte[] bytes = StudioAssets.Read(resource);
            app.MapGet(path, () => Results.Bytes(bytes, type));
        }
        app.MapGet("/api/runs", () => Results.Json(runs.All.Select(r => new { name = r.Name })));
        app.MapGet("/api/runs/{name}", (string name, HttpContext http) =>
            runs.Get(name).EvaluateAsync(StudioRun.Describe, http.RequestAborted));
        app.MapGet("/api/runs/{name}/metrics", (string name) => Results.Json(RunMetrics.Read(runs.Get(name))));
        app.MapGet("/api/runs/{name}/genomes.json", async (string name, HttpContext http) =>
        {
            string json = await runs.Get(name).EvaluateAsync((run, _) => LatentImages.Genomes(run), http.RequestAborted);
            http.Response.Headers.ContentDisposition = "attachment; filename=genomes.json";
            return Results.Text(json, "application/json");
        });
        app.MapGet("/api/runs/{name}/sample.png", async (string name, HttpRequest request) =>
        {
            var query = new SampleQuery(QueryValues.Long(request, "seed") ?? 0, QueryValues.Int(request, "label"), QueryValues.Int(request, "steps"),
                QueryValues.Double(request, "guidance"), QueryValues.Double(request, "temperature"));
            return Png(await runs.Get(name).EvaluateAsync((run, loaded) => LatentImages.Sample(run, loaded, query), request.HttpContext.RequestAborted));
        });
        app.MapPost("/api/runs/{name}/breed", async (string name, HttpRequest request) =>
        {
            StudioRun run = runs.Get(name);
            BreedRequest body = await ReadJson<BreedRequest>(request);
            return Results.Json(await run.EvaluateAsync((r, loaded) => LatentImages.Breed(r, loaded, body), request.HttpContext.RequestAborted));
        });
        app.MapGet("/api/runs/{name}/interpolate.png", async (string name, HttpRequest request) =>
        {
            long a = QueryValues.Long(request, "a") ?? throw new StudioRequestException(400, "a: give the first seed."),
                b = QueryValues.Long(request, "b") ?? throw new StudioRequestException(400, "b: give the second seed.");
            int steps = QueryValues.Int(request, "steps") ?? 9, index = QueryValues.Int(request, "index") ?? 0;
            InterpolationPath path = QueryValues.Text(request, "path", "linear") switch
            {
                "linear" => InterpolationPath.Linear,
                "spherical" => InterpolationPath.Spherical,
                string other => throw new StudioRequestException(400, $"path {other}: expected linear or spherical."),
            };
            return Png(await runs.Get(name).EvaluateAsync((run, loaded) => LatentImages.Interpolate(run, loaded, a, b, steps, index, path),
                request.HttpContext.RequestAborted));
        });
        app.MapPost("/api/runs/{name}/translate", async (string name, HttpRequest request) =>
        {
            StudioRun run = runs.Get(name);
            long seed = QueryValues.Long(request, "seed") ?? 0;
            TranslationDirection way = QueryValues.Text(request, "direction", "a2b") switch
            {
                "a2b" => TranslationDirection.AToB,
                "b2a" => TranslationDirection.BToA,
                string other => throw new StudioRequestException(400, $"direction {other}: expected a2b or b2a."),
            };
            IFormCollection form = await FormUploads.ReadAsync(request);
            using UploadedImage image = await FormUploads.ImageAsync(form, "image");
            return Png(await run.EvaluateAsync((_, loaded) => ImageEditing.Translate(loaded, image, seed, way), request.HttpContext.RequestAborted));
        });
        app.MapPost("/api/runs/{name}/complete", async (string name, HttpRequest request) =>
        {
            StudioRun run = runs.Get(name);
            long seed = QueryValues.Long(request, "seed") ?? 0;
            int count = QueryValues.Int(request, "count") ?? 4;
            int? label = QueryValues.Int(request, "label");
            IFormCollection form = await FormUploads.ReadAsync(request);
            using UploadedImage image = await FormUploads.ImageAsync(form, "image");
            using UploadedImage mask = await FormUploads.ImageAsync(form, "mask");
            return Png(await run.EvaluateAsync((_, loaded) => ImageEditing.Complete(loaded, image, mask, seed, count, label), request.HttpContext.RequestAborted));
        });
        app.MapGet("/api/runs/{name}/test-image.png", async (string name, HttpRequest request) =>
        {
            int index = QueryValues.Int(request, "index") ?? 0;
            return Png(await runs.Get(name).EvaluateAsync((run, loaded) => ImageEditing.TestImage(run, loaded, index), request.HttpContext.RequestAborted,
                needsData: true));
        });
        app.MapGet("/api/runs/{name}/hole.png", async (string name, HttpRequest request) =>
        {
            string shape = QueryValues.Text(request, "shape", "watermark");
            return Png(await runs.Get(name).EvaluateAsync((_, loaded) => ImageEditing.HoleMask(loaded, shape), request.HttpContext.RequestAborted));
        });
        app.MapFallback((HttpContext http) => Results.Json(new { error = $"no such page or endpoint: {http.Request.Method} {Shorten(http.Request.Path)}", status = 404 },
            statusCode: 404));
    }

    private static IResult Png(byte[] bytes) => Results.Bytes(bytes, "image/png");

    private static async Task<T> ReadJson<T>(HttpRequest request)
    {
        if (!request.HasJsonContentType()) throw new StudioRequestException(415, "expected a JSON body (Content-Type: application/json).");
        try
        {
            return await request.ReadFromJsonAsync<T>(request.HttpContext.RequestAborted) ?? throw new StudioRequestException(400, "expected a JSON object.");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new StudioRequestException(400, $"the JSON body cannot be read: {e.Message.Split('\n')[0]}");
        }
    }

    private static string Shorten(PathString path) => path.Value is { Length: > 80 } p ? p[..80] + "..." : path.Value ?? "";
}
