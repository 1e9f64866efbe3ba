using System.Globalization;
using Provenance.Watermark;

namespace Provenance.Bench;

internal static partial class WatermarkBench
{
    /// <summary>Attacks run on every clip; the first `--full-clips` clips get both complete suites.</summary>
    private const string CoreAttacks = "identity,platform_720p_crf28,crop_10pct";

    /// <summary>
    /// False-positive check on unmarked video beyond the corpus's own unmarked encodes: 1 s windows (8 analysis frames)
    /// of real footage, generator clips and ffmpeg test sources, decoded straight to the analysis size and read under
    /// the benchmark key. Returns reads, detections and the smallest p-value.
    /// </summary>
    private static async Task<(int Reads, int Found, double MinP)> UnmarkedSegmentsAsync(WatermarkKey key, WatermarkOptions options, int wanted,
        string work, CancellationToken ct)
    {
        if (wanted <= 0) return (0, 0, 1.0);
        const int w = 640, h = 360;
        var sources = new List<(string Name, string[] Input)>();
        foreach (var real in new[] { "vtest.avi", "tree.avi", "Megamind.avi", "Megamind_bugy.avi" })
            sources.Add((real, ["-i", Path.Combine(RealFootageFolder, real)]));
        if (File.Exists(CockatooFootage)) sources.Add(("cockatoo", ["-i", CockatooFootage]));
        for (var g = 0; g < GeneratorPrompts.Length; g++)
            sources.Add(($"generator{g}", Generated(work, g, w, h, 6, seed: 1000 + (ulong)g, fps: 24)));
        foreach (var graph in new[]
        {
            "mandelbrot=size=640x360:rate=8", "mandelbrot=size=640x360:rate=8:start_scale=1.5,noise=alls=8:allf=t",
            "testsrc2=size=640x360:rate=8", "testsrc=size=640x360:rate=8,noise=alls=6:allf=t", "smptehdbars=size=640x360:rate=8,noise=alls=10:allf=t",
            "life=size=160x90:rate=8:mold=10:ratio=0.3,scale=640:360:flags=bicubic", "cellauto=size=320x180:rate=8:rule=30:scroll=1,scale=640:360",
            "gradients=size=640x360:rate=8:speed=0.05,noise=alls=4:allf=t", "color=c=0x707070:size=640x360:rate=8,noise=alls=16:allf=t+u",
            "rgbtestsrc=size=640x360:rate=8,noise=alls=12:allf=t", "sierpinski=size=640x360:rate=8", "yuvtestsrc=size=640x360:rate=8,noise=alls=8:allf=t",
            "mandelbrot=size=640x360:rate=8:start_x=-0.74:start_y=0.2:start_scale=0.05",
        })
            sources.Add((graph.Split('=')[0], ["-f", "lavfi", "-i", graph, "-t", "60"]));

        int reads = 0, found = 0; var minP = 1.0;
        var profile = new TiledWatermarkExtractor(key, options).PreferredAnalysis;
        foreach (var (name, input) in sources)
        {
            if (reads >= wanted) break;
            var clip = await AnalysisFramesFromAsync(input, w, h, profile.FramesPerSecond, ct);
            foreach (var window in Windows(clip, 1.0))
            {
                if (reads >= wanted) break;
                var r = Extract(new TiledWatermarkExtractor(key, options), clip, window);
                reads++; minP = Math.Min(minP, r.PValue);
                if (r.Found) found++;
            }
            BenchOutput.Progress(string.Create(CultureInfo.InvariantCulture,
                $"unmarked 1 s segments: {reads} read ({found} found, min p {minP:g3}) after {name}"));
        }
        return (reads, found, minP);
    }
}
