namespace GenerativeSharp.Cli.Studio;

/// <summary>
/// What the page may do with a run (GET /api/runs/NAME): the model, its image shape and each view it supports.
/// </summary>
/// <param name="Name">the run's table name</param>
/// <param name="Model">the model's catalog name (vae, cgan, pix2pix, made, ...)</param>
/// <param name="EventShape">one example's shape, [C, H, W] for images</param>
/// <param name="Samples">the gallery draws images from it</param>
/// <param name="Breeds">it has a flat latent code: breeding and interpolation</param>
/// <param name="Classes">class-conditional: the number of classes (0 otherwise)</param>
/// <param name="Diffusion">a diffusion model: steps (and guidance when class-conditional) apply</param>
/// <param name="Temperature">it samples at a temperature</param>
/// <param name="Translates">an image-to-image model: the translate view</param>
/// <param name="Completes">it completes images: the repair view</param>
internal sealed record RunDescription(string Name, string Model, long[] EventShape, bool Samples, bool Breeds, int Classes,
    bool Diffusion, bool Temperature, bool Translates, bool Completes);
