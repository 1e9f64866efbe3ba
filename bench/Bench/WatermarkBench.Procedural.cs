using System.Diagnostics;
using System.Globalization;
using Provenance.Generator.Backends;
using Provenance.Generator.Frames;
using Provenance.Generator.Procedural;
using Provenance.Watermark;

namespace Provenance.Bench;

internal static partial class WatermarkBench
{
    /// <summary>Prompts for the product's own procedural generator (smooth, low-texture frames: its main gap).</summary>
    private static readonly string[] GeneratorPrompts =
    [
        "a red car drives along a coastal road at sunset",
        "a sailboat on a calm ocean under drifting clouds at dawn",
        "snow falling over a quiet winter forest",
        "a glowing lantern rises over a desert at night",
        "a city skyline with neon lights in the evening",
    ];

    /// <summary>Renders a generator clip once (lossless FFV1, cached in the work folder) and returns its ffmpeg input. Corpus
    /// clips are rendered at 960x540 and scaled up to the clip size by the transcode (rendering is the slow part on a
    /// shared 2-core machine; upscaling keeps the frames as smooth as the generator makes them, or smoother).</summary>
    private static string[] Generated(string work, int prompt, int width, int height, int seconds, ulong? seed = null, int fps = 30)
    {
        var s = seed ?? (ulong)(prompt + 1);
        var path = Path.Combine(work, $"gen{prompt}-{width}x{height}-{seconds}s-{s}-{fps}.mkv");
        if (!File.Exists(path)) RenderGeneratorClipAsync(GeneratorPrompts[prompt], s, width, height, seconds, fps, path).GetAwaiter().GetResult();
        return ["-i", path];
    }

    private static async Task RenderGeneratorClipAsync(string prompt, ulong seed, int width, int height, int seconds, int fps, string path)
    {
        var sw = Stopwatch.StartNew();
        var request = new GenerationRequest(prompt, seed, width, height, fps, seconds);
        await WriteLosslessAsync(new ProceduralBackend(2).GenerateAsync(request, FramePool.Shared, CancellationToken.None), width, height, fps, path);
        BenchOutput.Progress($"rendered generator clip {width}x{height} {seconds} s in {Seconds(sw):f0} s: \"{prompt}\"");
    }

    /// <summary>Animates a 1080p generator still with the product's image-to-video operation (parallax: push-in and
    /// drift) at the clip size; rendered once (lossless FFV1, cached) like <see cref="Generated"/>.</summary>
    private static string[] Animated(string work, int prompt, int width, int height, int seconds)
    {
        var path = Path.Combine(work, $"anim{prompt}-{width}x{height}-{seconds}s.mkv");
        if (!File.Exists(path)) RenderAnimatedClipAsync(prompt, width, height, seconds, path).GetAwaiter().GetResult();
        return ["-i", path];
    }

    private static async Task RenderAnimatedClipAsync(int prompt, int width, int height, int seconds, string path)
    {
        var sw = Stopwatch.StartNew();
        var still = Path.Combine(Path.GetDirectoryName(path)!, $"still{prompt}.png");
        if (!File.Exists(still))
        {
            var first = Generated(Path.GetDirectoryName(path)!, prompt, 1920, 1080, 1, seed: 500 + (ulong)prompt);
            await RunToolAsync("ffmpeg", ["-loglevel", "error", .. first, "-frames:v", "1", "-y", still], CancellationToken.None);
        }
        using var runner = new Provenance.Media.FfmpegRunner();
        var stream = new Provenance.Generator.Operations.ClipOperations(runner).Animate(still, width, height, 30, seconds,
            Provenance.Generator.Operations.AnimationMotion.Parallax);
        await WriteLosslessAsync(stream.Frames, width, height, 30, path);
        BenchOutput.Progress($"rendered animated still {width}x{height} {seconds} s in {Seconds(sw):f0} s: \"{GeneratorPrompts[prompt]}\"");
    }

    /// <summary>Encodes frames losslessly (FFV1) to a temporary file, then moves it to <paramref name="path"/>.</summary>
    private static async Task WriteLosslessAsync(IAsyncEnumerable<YuvFrame> frames, int width, int height, int fps, string path)
    {
        var tmp = path + ".part.mkv";
        using var enc = StartTool("ffmpeg", ["-loglevel", "error", "-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", $"{width}x{height}",
            "-r", fps.ToString(CultureInfo.InvariantCulture), "-i", "-", "-c:v", "ffv1", "-level", "3", "-y", tmp], true, false);
        var err = enc.StandardError.ReadToEndAsync();
        var dst = enc.StandardInput.BaseStream;
        await foreach (var frame in frames)
        {
            using (frame) await dst.WriteAsync(frame.Memory);
        }
        dst.Close();
        await enc.WaitForExitAsync();
        if (enc.ExitCode != 0) throw new InvalidOperationException($"lossless encode of {Path.GetFileName(path)}: {await err}");
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>Applies `--option Name=Value[,Name=Value]` overrides to the watermark options (for exploring settings;
    /// <c>SearchOrientations</c> takes the flags' numeric value, 51 for upright, mirrored and both quarter turns).</summary>
    private static WatermarkOptions OptionsFrom(string[] args)
    {
        var options = WatermarkOptions.Default;
        var spec = StringArg(args, "--option", "");
        foreach (var pair in spec.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            if (kv.Length != 2 || !double.TryParse(kv[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
                throw new BenchUsageException($"--option: {pair} is not Name=number");
            options = kv[0] switch
            {
                nameof(WatermarkOptions.Strength) => options with { Strength = v },
                nameof(WatermarkOptions.MaximumMeanSquaredError) => options with { MaximumMeanSquaredError = v },
                nameof(WatermarkOptions.MaskFloor) => options with { MaskFloor = v },
                nameof(WatermarkOptions.MaskFull) => options with { MaskFull = v },
                nameof(WatermarkOptions.AnalysisFramesPerSecond) => options with { AnalysisFramesPerSecond = v },
                nameof(WatermarkOptions.MaskMinimum) => options with { MaskMinimum = v },
                nameof(WatermarkOptions.FlatTexture) => options with { FlatTexture = v },
                nameof(WatermarkOptions.FlatCoarseTexture) => options with { FlatCoarseTexture = v },
                nameof(WatermarkOptions.FlatRelativeTexture) => options with { FlatRelativeTexture = v },
                nameof(WatermarkOptions.BudgetBoostLimit) => options with { BudgetBoostLimit = v },
                nameof(WatermarkOptions.TilesPerHeight) => options with { TilesPerHeight = v },
                nameof(WatermarkOptions.HostCancellation) => options with { HostCancellation = v },
                nameof(WatermarkOptions.CellAmplitudeLimit) => options with { CellAmplitudeLimit = v },
                nameof(WatermarkOptions.FeedbackRegions) => options with { FeedbackRegions = (int)v },
                nameof(WatermarkOptions.SearchOrientations) => options with { SearchOrientations = (WatermarkOrientations)(int)v },
                _ => throw new BenchUsageException($"--option: unknown option {kv[0]}"),
            };
        }
        return options;
    }

    private static double Seconds(Stopwatch sw) => sw.Elapsed.TotalSeconds;
}
