using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Provenance.Watermark;

namespace Provenance.Bench;

internal static partial class WatermarkBench
{
    /// <summary>The default speed source: a 1080p test card with grain (textured, so the mark is read).</summary>
    private const string SpeedSource = "testsrc2=size=1920x1080:rate=30,noise=alls=12:allf=t";

    /// <summary>
    /// `bench/run.sh watermark --speed-only [--speed-seconds S] [--speed-passes N] [--speed-input FILE]`: extraction cost
    /// beyond decoding for a 60 s clip at the default sampling. S seconds of a 1080p source (default the grainy test card,
    /// or FILE) are decoded by ffmpeg to the extractor's <see cref="IWatermarkExtractor.PreferredAnalysis"/> and marked in
    /// memory; each pass feeds a fresh extractor 60 s of those frames (cycled, timestamps running on) on this thread and
    /// calls Result() once. Process CPU time is read around the calls (nothing else runs in-process meanwhile; ffmpeg has
    /// exited); the first pass warms the JIT and is not counted, the figures are the median pass. A second figure feeds
    /// 720p frames instead (the scan path hands the extractor frames up to 1280 px wide, which it downscales itself).
    /// </summary>
    private static async Task<Dictionary<string, object?>> ExtractionSpeedAsync(string[] args, WatermarkKey key, WatermarkOptions options,
        CancellationToken ct)
    {
        var load = LoadAverage();
        var seconds = IntArg(args, "--speed-seconds", 10);
        var passes = Math.Max(1, IntArg(args, "--speed-passes", 3));
        var file = StringArg(args, "--speed-input", "");
        var profile = new TiledWatermarkExtractor(key, options).PreferredAnalysis;
        var input = file.Length > 0 ? Real(file, 0, seconds) : Lavfi(SpeedSource, seconds);
        var (w0, h0) = file.Length > 0 ? await ProbeSizeAsync(file, ct) : (1920, 1080);
        var (w, h) = profile.FrameSize(w0, h0);
        var clip = await AnalysisFramesFromAsync(input, w, h, profile.FramesPerSecond, ct);
        if (clip.Frames.Count == 0) throw new InvalidOperationException("speed source decoded to no frames");
        var embedder = new TiledWatermarkEmbedder(key, PayloadBase, options);
        for (var f = 0; f < clip.Frames.Count; f++) embedder.Embed(clip.Frames[f].Luma, w, h, w, f);
        var perMinute = (int)Math.Round(60 * profile.FramesPerSecond);
        BenchOutput.Progress(string.Create(CultureInfo.InvariantCulture,
            $"speed: {clip.Frames.Count} frames {w}x{h} decoded and marked; {passes} passes of {perMinute} frames (+1 warm-up); load average {load:f2}"));

        var accumulateMs = new List<double>(); var resultS = new List<double>(); var wallMs = new List<double>();
        var found = true;
        for (var pass = 0; pass <= passes; pass++)
        {
            var extractor = new TiledWatermarkExtractor(key, options);
            GC.Collect(); GC.WaitForPendingFinalizers();
            var cpu0 = CpuSeconds(); var sw = Stopwatch.StartNew();
            for (var f = 0; f < perMinute; f++)
            {
                var frame = clip.Frames[f % clip.Frames.Count];
                extractor.Accumulate(frame.Luma, w, h, w, f, f / profile.FramesPerSecond);
            }
            var cpu1 = CpuSeconds(); var wall = sw.Elapsed.TotalSeconds;
            var r = extractor.Result();
            var cpu2 = CpuSeconds();
            found &= r.Found && r.Payload == PayloadBase;
            BenchOutput.Progress(string.Create(CultureInfo.InvariantCulture,
                $"  pass {pass}{(pass == 0 ? " (warm-up)" : "")}: accumulate {1000 * (cpu1 - cpu0) / perMinute:f3} ms CPU/frame ({1000 * wall / perMinute:f3} ms wall), result {cpu2 - cpu1:f3} s CPU, found {r.Found}"));
            if (pass == 0) continue;
            accumulateMs.Add(1000 * (cpu1 - cpu0) / perMinute); wallMs.Add(1000 * wall / perMinute); resultS.Add(cpu2 - cpu1);
        }
        var accumulate = Median(accumulateMs); var result = Median(resultS);
        var accumulate720 = await FullSizeAccumulateAsync(key, options, perMinute, passes, ct);
        return new Dictionary<string, object?>
        {
            ["frame_size"] = $"{w}x{h}",
            ["frames_per_minute"] = perMinute,
            ["passes"] = passes,
            ["found"] = found,
            ["extract_accumulate_ms_per_frame"] = Math.Round(accumulate, 3),
            ["extract_accumulate_wall_ms_per_frame"] = Math.Round(Median(wallMs), 3),
            ["extract_result_s"] = Math.Round(result, 3),
            ["extract_cpu_s_per_min"] = Math.Round(accumulate * perMinute / 1000 + result, 3),
            ["extract_accumulate_ms_per_frame_720p_input"] = Math.Round(accumulate720, 3),
            ["load_average_1min"] = load,
        };
    }

    /// <summary>Median CPU milliseconds of one Accumulate of a 1280x720 frame (2 s of the speed source, cycled over a
    /// minute's frames per pass, after a warm-up pass).</summary>
    private static async Task<double> FullSizeAccumulateAsync(WatermarkKey key, WatermarkOptions options, int perMinute, int passes, CancellationToken ct)
    {
        const int w = 1280, h = 720;
        var clip = await AnalysisFramesFromAsync(Lavfi(SpeedSource, 2), w, h, options.AnalysisFramesPerSecond, ct);
        if (clip.Frames.Count == 0) throw new InvalidOperationException("speed source decoded to no frames");
        var perFrame = new List<double>();
        for (var pass = 0; pass <= passes; pass++)
        {
            var extractor = new TiledWatermarkExtractor(key, options);
            GC.Collect(); GC.WaitForPendingFinalizers();
            var cpu0 = CpuSeconds();
            for (var f = 0; f < perMinute; f++)
                extractor.Accumulate(clip.Frames[f % clip.Frames.Count].Luma, w, h, w, f, f / options.AnalysisFramesPerSecond);
            var ms = 1000 * (CpuSeconds() - cpu0) / perMinute;
            BenchOutput.Progress(string.Create(CultureInfo.InvariantCulture,
                $"  720p input, pass {pass}{(pass == 0 ? " (warm-up)" : "")}: accumulate {ms:f3} ms CPU/frame"));
            if (pass > 0) perFrame.Add(ms);
        }
        return Median(perFrame);
    }

    /// <summary>CPU seconds this process has used (user + system, all threads): clock_gettime's process clock on Linux
    /// (nanosecond resolution), else the runtime's process time (clock ticks).</summary>
    private static double CpuSeconds()
    {
        if (OperatingSystem.IsLinux() && ClockGetTime(ProcessCpuClock, out var ts) == 0) return ts.Seconds + ts.Nanoseconds * 1e-9;
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime.TotalSeconds;
    }

    private const int ProcessCpuClock = 2; // CLOCK_PROCESS_CPUTIME_ID

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN
            : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>The machine's 1-minute load average (Linux), or null where unknown.</summary>
    private static double? LoadAverage()
    {
        try
        {
            var text = File.ReadAllText("/proc/loadavg");
            return double.Parse(text.Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}
