using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Provenance.Media;

namespace Provenance.Bench;

/// <summary>
/// `bench/run.sh media [--seconds N] [--runs N] [--format yuv420p|gray|rgb24]`: how fast the frame source reads raw
/// 1080p frames compared with ffmpeg decoding the same file to nothing (`-f null`), in the same run.
/// read_vs_decode_ratio = decode time / read time (1.0 means the pipe costs nothing; the goal is at least 0.9).
/// </summary>
internal static partial class MediaBench
{
    /// <summary>What <c>bench/run.sh media</c> accepts (checked before it runs).</summary>
    public static BenchArgs Arguments { get; } = new("bench/run.sh media [--seconds N] [--runs N] [--format yuv420p|gray|rgb24] [--mode frames|buffer]",
        ["--seconds", "--runs", "--format", "--mode"], []);

    public static async Task<IReadOnlyDictionary<string, object?>> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var seconds = IntOption(args, "--seconds", 60);
        var runs = IntOption(args, "--runs", 3);
        var format = Enum.Parse<RawPixelFormat>(StringOption(args, "--format", "yuv420p"), ignoreCase: true);
        var intoOneBuffer = StringOption(args, "--mode", "frames") == "buffer";
        using var runner = new FfmpegRunner(new FfmpegOptions { TranscodeTimeout = TimeSpan.FromMinutes(20) });
        var capabilities = await HardwareCapabilities.DetectAsync(runner, cancellationToken);
        BenchOutput.Progress(capabilities.ToString());
        var clip = await EnsureClipAsync(runner, seconds, cancellationToken);
        var probe = await new VideoProber(runner).ProbeAsync(clip, null, cancellationToken);
        BenchOutput.Progress($"clip {clip}: {probe.Width}x{probe.Height} {probe.FrameRate} fps, {probe.FrameCount} frames");

        // Alternate the two so background load hits both alike; keep each side's best run.
        var decodeTimes = new List<double>();
        var readTimes = new List<double>();
        var decodeCpu = new List<double>();
        var readCpu = new List<double>();
        long frames = 0;
        var frameBytes = 0;
        for (var run = 0; run < runs; run++)
        {
            var cpu = CpuSeconds();
            var decode = await TimeNullDecodeAsync(runner, clip, cancellationToken);
            decodeTimes.Add(decode);
            decodeCpu.Add(CpuSeconds() - cpu);
            cpu = CpuSeconds();
            var (read, count, bytes) = await TimeFrameSourceAsync(runner, clip, format, intoOneBuffer, cancellationToken);
            readTimes.Add(read);
            readCpu.Add(CpuSeconds() - cpu);
            frames = count;
            frameBytes = bytes;
            BenchOutput.Progress($"run {run + 1}/{runs}: ffmpeg -f null {decode:0.000} s, frame source {read:0.000} s ({count} frames), ratio {decode / read:0.000}; CPU {decodeCpu[^1]:0.00} s vs {readCpu[^1]:0.00} s");
        }
        var bestDecode = decodeTimes.Min();
        var bestRead = readTimes.Min();
        return new Dictionary<string, object?>
        {
            ["bench"] = "media",
            ["clip"] = $"{probe.Width}x{probe.Height} {probe.FrameRate.ToDouble():0.##} fps {probe.Codec}",
            ["pixel_format"] = format.FfmpegName(),
            ["mode"] = intoOneBuffer ? "buffer" : "frames",
            ["frames"] = frames,
            ["clip_seconds"] = Math.Round(probe.Duration?.TotalSeconds ?? 0, 3),
            ["runs"] = runs,
            ["decode_seconds"] = Math.Round(bestDecode, 3),
            ["read_seconds"] = Math.Round(bestRead, 3),
            ["decode_fps"] = Math.Round(frames / bestDecode, 1),
            ["read_fps"] = Math.Round(frames / bestRead, 1),
            ["read_mib_per_s"] = Math.Round(frames * (double)frameBytes / bestRead / (1 << 20), 1),
            ["decode_cpu_seconds"] = Math.Round(decodeCpu.Min(), 2),
            ["read_cpu_seconds"] = Math.Round(readCpu.Min(), 2),
            ["median_ratio"] = Math.Round(Median(decodeTimes.Zip(readTimes, (d, r) => d / r)), 3),
            ["ffmpeg"] = capabilities.FfmpegVersion,
            ["cpu_cores"] = Environment.ProcessorCount,
            ["read_vs_decode_ratio"] = Math.Round(bestDecode / bestRead, 3),
        };
    }

    private static async Task<double> TimeNullDecodeAsync(FfmpegRunner runner, string clip, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var result = await runner.RunAsync(FfmpegTool.Ffmpeg, ["-hide_banner", "-nostdin", "-nostats", "-v", "error", "-i", clip, "-map", "0:v:0", "-f", "null", "-"],
            new FfmpegStartOptions { Timeout = TimeSpan.FromMinutes(20), SubjectPath = clip }, cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException("ffmpeg -f null failed: " + result.StderrTail);
        }
        return clock.Elapsed.TotalSeconds;
    }

    private static async Task<(double Seconds, long Frames, int FrameBytes)> TimeFrameSourceAsync(FfmpegRunner runner, string clip, RawPixelFormat format, bool intoOneBuffer, CancellationToken cancellationToken)
    {
        var source = new FrameSource(runner);
        var clock = Stopwatch.StartNew();
        long frames = 0;
        var frameBytes = 0;
        long checksum = 0;
        if (intoOneBuffer)
        {
            await using var reader = await source.OpenAsync(clip, new FrameSourceOptions { PixelFormat = format }, cancellationToken);
            var buffer = new byte[reader.FrameBytes];
            while (await reader.ReadFrameAsync(buffer, cancellationToken))
            {
                checksum += buffer[buffer.Length / 2];
                frames++;
            }
            return (clock.Elapsed.TotalSeconds, frames, reader.FrameBytes);
        }
        await foreach (var frame in source.ReadFramesAsync(clip, new FrameSourceOptions { PixelFormat = format }, cancellationToken))
        {
            using (frame)
            {
                checksum += frame.Span[frame.Length / 2];
                frameBytes = frame.Length;
                frames++;
            }
        }
        var elapsed = clock.Elapsed.TotalSeconds;
        GC.KeepAlive(checksum);
        return (elapsed, frames, frameBytes);
    }

    private static async Task<string> EnsureClipAsync(FfmpegRunner runner, int seconds, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(RepositoryRoot(), "bench", "out");
        Directory.CreateDirectory(folder);
        var clip = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"media-1080p30-{seconds}s.mp4"));
        if (File.Exists(clip))
        {
            return clip;
        }
        BenchOutput.Progress($"making the {seconds} s 1080p test clip (libx264, once; cached in bench/out/)");
        var partial = clip + ".partial";
        var result = await runner.RunAsync(FfmpegTool.Ffmpeg,
        [
            "-hide_banner", "-nostdin", "-nostats", "-v", "error", "-y",
            "-f", "lavfi", "-i", string.Create(CultureInfo.InvariantCulture, $"testsrc2=s=1920x1080:r=30:d={seconds}"),
            "-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p", "-g", "60",
            "-movflags", "+faststart", "-f", "mp4", partial,
        ], new FfmpegStartOptions { Timeout = TimeSpan.FromMinutes(20) }, cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException("making the test clip failed: " + result.StderrTail);
        }
        File.Move(partial, clip, overwrite: true);
        return clip;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Provenance.sln")))
            {
                return dir.FullName;
            }
        }
        return Directory.GetCurrentDirectory();
    }

    /// <summary>CPU seconds used so far by this process plus its finished children (ffmpeg), from getrusage.</summary>
    private static double CpuSeconds()
    {
        if (!OperatingSystem.IsLinux())
        {
            return Environment.CpuUsage.TotalTime.TotalSeconds;
        }
        double total = 0;
        foreach (var who in new[] { 0, -1 }) // RUSAGE_SELF, RUSAGE_CHILDREN
        {
            var usage = new long[18];
            if (GetResourceUsage(who, usage) == 0)
            {
                total += usage[0] + usage[1] / 1e6 + usage[2] + usage[3] / 1e6;
            }
        }
        return total;
    }

    [LibraryImport("libc", EntryPoint = "getrusage")]
    private static partial int GetResourceUsage(int who, [Out] long[] usage);

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static int IntOption(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
    }

    private static string StringOption(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
