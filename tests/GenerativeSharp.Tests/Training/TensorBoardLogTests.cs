using System.Text.Json;
using GenerativeSharp.Data;
using GenerativeSharp.Recipes;
using GenerativeSharp.Runtime;
using GenerativeSharp.Tests.Cli;
using GenerativeSharp.Training;
using GenerativeSharp.Training.Logging;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Training;

/// <summary>
/// The TensorBoard event files of a run, read back independently (<see cref="EventFileReader"/>): every
/// scalar of metrics.jsonl at its step, one sample image per epoch, nothing logged twice over a resume.
/// </summary>
public sealed class TensorBoardLogTests
{
    [Fact]
    public void Crc32C_matches_the_known_vectors()
    {
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));
        Assert.Equal(0u, Crc32C.Compute([]));
        Assert.Equal(0x8A9136AAu, Crc32C.Compute(new byte[32]));                      // RFC 3720 B.4: 32 zero bytes
        Assert.Equal(0x62A8AB43u, Crc32C.Compute(Enumerable.Repeat((byte)0xFF, 32).ToArray()));
        Assert.Equal(EventFileReader.Mask(0xE3069283u), Crc32C.Masked("123456789"u8));
    }

    [Fact]
    public void A_run_logs_every_metrics_scalar_at_its_step_and_its_sample_grids()
    {
        using var directory = new TempDirectory();
        using DataSplits data = TestModels.ImageSplits();
        Train(data, directory.Path, totalSteps: 24, resume: false);                     // 8 steps per epoch: ends at 8, 16, 24

        List<TbEvent> events = EventFileReader.ReadRun(directory.Path);
        Assert.Single(Directory.GetFiles(Path.Combine(directory.Path, TensorBoardLog.FolderName)));
        Assert.Equal(TensorBoardEvents.FileVersion, events[0].FileVersion);
        Assert.Equal(events.Select(e => e.Step).Order(), events.Select(e => e.Step));
        Assert.All(events, e => Assert.InRange(e.WallTime, 1.7e9, 1e10));
        AssertScalarsMatchMetrics(directory.Path, events);

        // The grid is drawn after the first and the last epoch, and after the others unless it costs over a quarter of one.
        var images = Images(events);
        Assert.Subset(new HashSet<long> { 8, 16, 24 }, images.Select(i => i.Step).ToHashSet());
        Assert.Equal(images.Select(i => i.Step).Distinct(), images.Select(i => i.Step));
        Assert.Equal(8, images[0].Step);
        Assert.Equal(24, images[^1].Step);
        byte[] samples = File.ReadAllBytes(Path.Combine(directory.Path, Trainer.SamplesFileName));
        Assert.Equal(samples, images[^1].Image.Encoded);
        PngHeader header = PngHeader.Read(samples);
        Assert.All(images, i => Assert.Equal((header.Height, header.Width, header.Colorspace), (i.Image.Height, i.Image.Width, i.Image.Colorspace)));
        Assert.All(images, i => Assert.Equal(header, PngHeader.Read(i.Image.Encoded)));
    }

    [Fact]
    public void Each_epoch_image_is_the_samples_png_of_that_epoch_over_resumed_runs()
    {
        using var directory = new TempDirectory();
        using DataSplits data = TestModels.ImageSplits();
        var grids = new Dictionary<long, byte[]>();
        foreach (long end in new long[] { 8, 16, 24 })                                  // one epoch per run: each draws its grid
        {
            Train(data, directory.Path, totalSteps: end, resume: end > 8);
            grids[end] = File.ReadAllBytes(Path.Combine(directory.Path, Trainer.SamplesFileName));
        }
        List<TbEvent> events = EventFileReader.ReadRun(directory.Path);
        Assert.Equal(3, Directory.GetFiles(Path.Combine(directory.Path, TensorBoardLog.FolderName)).Length);
        AssertScalarsMatchMetrics(directory.Path, events);
        var images = Images(events);
        Assert.Equal([8L, 16L, 24L], images.Select(i => i.Step));
        Assert.All(images, i => Assert.Equal(grids[i.Step], i.Image.Encoded));
        Assert.NotEqual(grids[8], grids[24]);
    }

    [Fact]
    public void Resuming_after_a_crash_cuts_the_events_back_to_the_checkpoint_and_logs_no_step_twice()
    {
        using var directory = new TempDirectory();
        using DataSplits data = TestModels.ImageSplits();
        Train(data, directory.Path, totalSteps: 8, resume: false);
        string checkpoint = Checkpoint.PathIn(directory.Path);
        byte[] atStep8 = File.ReadAllBytes(checkpoint);
        Train(data, directory.Path, totalSteps: 20, resume: true);
        File.WriteAllBytes(checkpoint, atStep8);                                       // a crash after step 20 was logged, before its checkpoint
        Train(data, directory.Path, totalSteps: 20, resume: true);

        List<TbEvent> events = EventFileReader.ReadRun(directory.Path);
        Assert.Equal(2, Directory.GetFiles(Path.Combine(directory.Path, TensorBoardLog.FolderName)).Length);   // the middle file held only steps beyond 8
        Assert.All(events.Where(e => e.FileVersion != null), e => Assert.Equal(TensorBoardEvents.FileVersion, e.FileVersion));
        AssertScalarsMatchMetrics(directory.Path, events);
        Assert.Equal([8L, 16L, 20L], events.Where(e => e.Values.Any(v => v.Image != null)).Select(e => e.Step));
    }

    [Fact]
    public void A_torn_record_and_steps_beyond_a_failed_checkpoint_are_cut_back()
    {
        using var directory = new TempDirectory();
        var log = TensorBoardLog.ContinueAfter(directory.Path, 0);
        log.WriteScalars(5, 0, new Dictionary<string, double> { ["loss"] = 1.5 });
        log.WriteScalars(10, 1, new Dictionary<string, double> { ["loss"] = double.NaN });
        string path = log.Path;
        TensorBoardLog.TryCutBack(log, 5);                                             // a full disk after the checkpoint at step 5
        Assert.Equal([0L, 5L], EventFileReader.Read(path).Select(e => e.Step));

        File.AppendAllText(path, "torn");
        using (TensorBoardLog.ContinueAfter(directory.Path, 100)) { }
        List<TbEvent> events = EventFileReader.Read(path);
        Assert.Equal([0L, 5L], events.Select(e => e.Step));
        Assert.Equal(1.5f, events[1].Values.Single(v => v.Tag == "loss").Scalar);
        Assert.Equal(0f, events[1].Values.Single(v => v.Tag == TensorBoardLog.EpochTag).Scalar);
    }

    [Fact]
    public void Train_writes_event_files_unless_told_off_and_refuses_another_value()
    {
        using var directory = new TempDirectory();
        string[] quick = ["train", "vae", "--data", "toy:moons", "--steps", "3", "--set", "hidden=8", "--progress", "none"];
        CliOutcome on = CliHost.Run([.. quick, "--out", directory.File("on")]);
        Assert.Equal(0, on.Code);
        Assert.Contains(Path.Combine(directory.File("on"), TensorBoardLog.FolderName), on.Out);
        AssertScalarsMatchMetrics(directory.File("on"), EventFileReader.ReadRun(directory.File("on")));

        Assert.Equal(0, CliHost.Run([.. quick, "--out", directory.File("off"), "--tensorboard", "off"]).Code);
        Assert.False(Directory.Exists(Path.Combine(directory.File("off"), TensorBoardLog.FolderName)));

        CliOutcome refused = CliHost.Run([.. quick, "--out", directory.File("bad"), "--tensorboard", "maybe"]);
        Assert.Equal(2, refused.Code);
        Assert.Contains("--tensorboard maybe: expected on or off.", refused.Error);
    }

    private static List<(long Step, TbImage Image)> Images(List<TbEvent> events) =>
        events.SelectMany(e => e.Values.Where(v => v.Image != null).Select(v =>
        {
            Assert.Equal(TensorBoardLog.SamplesTag, v.Tag);
            return (e.Step, v.Image!);
        })).ToList();

    /// <summary>
    /// Every numeric field of every metrics.jsonl line but "step" is a scalar with the same tag at that
    /// step, equal to float precision (null: non-finite), and the event files hold no other scalar.
    /// </summary>
    private static void AssertScalarsMatchMetrics(string runDirectory, List<TbEvent> events)
    {
        var logged = new Dictionary<(string Tag, long Step), float>();
        foreach (TbEvent e in events)
            foreach (TbValue v in e.Values.Where(v => v.Scalar != null))
                Assert.True(logged.TryAdd((v.Tag, e.Step), v.Scalar!.Value), $"{v.Tag} at step {e.Step} is logged twice");
        int expected = 0;
        foreach (string line in File.ReadAllLines(Path.Combine(runDirectory, Trainer.MetricsFileName)))
        {
            JsonElement json = JsonDocument.Parse(line).RootElement;
            long step = json.GetProperty("step").GetInt64();
            foreach (JsonProperty field in json.EnumerateObject().Where(p => p.Name != "step" && p.Value.ValueKind is JsonValueKind.Number or JsonValueKind.Null))
            {
                expected++;
                Assert.True(logged.TryGetValue((field.Name, step), out float value), $"{field.Name} at step {step} is not in the event files");
                if (field.Value.ValueKind == JsonValueKind.Null)
                {
                    Assert.False(float.IsFinite(value), $"{field.Name} at step {step}: null in the JSON, {value} in TensorBoard");
                    continue;
                }
                double json64 = field.Value.GetDouble();                              // rounded to 6 decimals in the JSON
                Assert.True(Math.Abs(value - json64) <= 1e-6 + 1e-6 * Math.Abs(json64), $"{field.Name} at step {step}: {json64} vs {value}");
            }
        }
        Assert.True(expected > 0);
        Assert.Equal(expected, logged.Count);
    }

    /// <summary>The trainer tests' small VAE run (TensorBoard files are on by default).</summary>
    private static TrainingResult Train(DataSplits data, string directory, long totalSteps, bool resume) =>
        TrainerTests.Train(data, directory, totalSteps, resume);
}
