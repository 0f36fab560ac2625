using Microsoft.AspNetCore.Http;

namespace GenerativeSharp.Cli.Studio;

/// <summary>Reads the image fields of a multipart form upload, refusing a missing field or an oversized file before reading it.</summary>
internal static class FormUploads
{
    /// <summary>The request's form; 415 when it is not multipart/form-data.</summary>
    public static async Task<IFormCollection> ReadAsync(HttpRequest request)
    {
        if (!request.HasFormContentType)
            throw new StudioRequestException(415, "expected a multipart/form-data upload with the image in the field 'image'.");
        try
        {
            return await request.ReadFormAsync(request.HttpContext.RequestAborted);
        }
        catch (InvalidDataException e)
        {
            throw new StudioRequestException(413, $"the upload cannot be taken: {e.Message}");
        }
    }

    /// <summary>The file in the form field <paramref name="field"/>, checked (<see cref="UploadedImage.Accept"/>).</summary>
    public static async Task<UploadedImage> ImageAsync(IFormCollection form, string field)
    {
        IFormFile file = form.Files[field] ?? throw new StudioRequestException(400, $"give the image as the form field '{field}'.");
        if (file.Length > UploadedImage.MaxBytes)
            throw new StudioRequestException(413, $"{field}: the upload is {file.Length / 1024} KiB; the studio takes images up to {UploadedImage.MaxBytes >> 20} MiB.");
        using var copy = new MemoryStream();
        await file.CopyToAsync(copy);
        return UploadedImage.Accept(copy.ToArray(), field);
    }
}
