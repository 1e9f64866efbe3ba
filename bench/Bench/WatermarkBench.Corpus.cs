using System.Globalization;
using Provenance.Watermark;

namespace Provenance.Bench;

internal static partial class WatermarkBench
{
    /// <summary>Real footage shipped by Debian's opencv-doc (installed on demand).</summary>
    private const string RealFootageFolder = "/usr/share/doc/opencv-doc/examples/data";

    /// <summary>Real 720p footage shipped with python3-imageio (Debian), used when installed.</summary>
    private const string CockatooFootage = "/usr/lib/python3/dist-packages/imageio/resources/images/cockatoo.mp4";

    /// <summary>The default 20-clip mix: 8 real (street, CGI, nature, handheld), 5 procedural generator clips, 7 ffmpeg
    /// synthetic sources; heights alternate 720p / 1080p in this order.</summary>
    private const string DefaultCorpus = "vtest@0s,generator0,mandelbrot+grain,cockatoo,generator1,vtest@20s,testsrc2+grain,megamind,"
        + "generator2,tree,life,vtest@40s,generator3,smptehdbars+grain,tree@15s,generator4,gradients+grain,vtest@60s,cellauto,mandelbrot";

    /// <summary>One clip of the corpus. <paramref name="Index"/> is its place in the whole corpus: it sets the clip's
    /// payload and the names of its files in the work folder, so a run that starts later in the list (`--first`) marks and
    /// names each clip exactly as a run over the whole list does.</summary>
    private sealed record CorpusClip(int Index, string Name, int Width, int Height, Func<int, string[]> Input);

    /// <summary>N clips taken in order from the named kinds (default <see cref="DefaultCorpus"/>; kinds whose footage is
    /// missing are skipped), from place <paramref name="first"/> on, cycling when the list runs out; heights alternate 720p
    /// and 1080p by place unless fixed.</summary>
    private static List<CorpusClip> Corpus(int count, string work, string names, int fixedHeight, int first = 0)
    {
        EnsureRealFootage();
        var vtest = Path.Combine(RealFootageFolder, "vtest.avi");
        var megamind = Path.Combine(RealFootageFolder, "Megamind.avi");
        var kinds = new List<(string Name, Func<int, int, int, string[]> Input)>
        {
            ("vtest@0s", (w, h, s) => Real(vtest, 0, s)),
            ("mandelbrot+grain", (w, h, s) => Lavfi($"mandelbrot=size={w}x{h}:rate=30,noise=alls=8:allf=t", s)),
            ("vtest@10s", (w, h, s) => Real(vtest, 10, s)),
            ("testsrc2+grain", (w, h, s) => Lavfi($"testsrc2=size={w}x{h}:rate=30,noise=alls=12:allf=t", s)),
            ("megamind", (w, h, s) => Real(megamind, 0, s)),
            ("life", (w, h, s) => Lavfi($"life=size={w / 4}x{h / 4}:rate=30:seed=1:mold=10:ratio=0.3:life_color=#c0a080:death_color=#203040,scale={w}:{h}:flags=bicubic,noise=alls=4:allf=t", s)),
            ("vtest@20s", (w, h, s) => Real(vtest, 20, s)),
            ("smptehdbars+grain", (w, h, s) => Lavfi($"smptehdbars=size={w}x{h}:rate=30,noise=alls=10:allf=t", s)),
            ("vtest@30s", (w, h, s) => Real(vtest, 30, s)),
            ("gradients+grain", (w, h, s) => Lavfi($"nullsrc=size={w}x{h}:rate=30,format=gray,geq=lum='128+90*sin(X/(W/5)+T/3)*cos(Y/(H/3)-T/5)',noise=alls=6:allf=t", s)),
            ("vtest@40s", (w, h, s) => Real(vtest, 40, s)),
            ("cellauto", (w, h, s) => Lavfi($"cellauto=size={w / 2}x{h / 2}:rate=30:seed=1:rule=30:scroll=1,scale={w}:{h}:flags=bicubic", s)),
            ("vtest@50s", (w, h, s) => Real(vtest, 50, s)),
            ("mandelbrot", (w, h, s) => Lavfi($"mandelbrot=size={w}x{h}:rate=30:start_scale=1.5", s)),
            ("vtest@60s", (w, h, s) => Real(vtest, 60, s)),
            ("grain_only", (w, h, s) => Lavfi($"color=c=0x707070:size={w}x{h}:rate=30,noise=alls=16:allf=t+u", s)),
            ("vtest@69s", (w, h, s) => Real(vtest, 69, s)),
            ("testsrc2", (w, h, s) => Lavfi($"testsrc2=size={w}x{h}:rate=30", s)),
            ("megamind@1s", (w, h, s) => Real(megamind, 1, s)),
            ("life_fine", (w, h, s) => Lavfi($"life=size={w / 2}x{h / 2}:rate=30:seed=2:mold=20:ratio=0.5,scale={w}:{h}:flags=neighbor,noise=alls=6:allf=t", s)),
        };
        var tree = Path.Combine(RealFootageFolder, "tree.avi");
        kinds.Add(("tree", (w, h, s) => Real(tree, 0, s)));
        kinds.Add(("tree@15s", (w, h, s) => Real(tree, 15, s)));
        if (File.Exists(CockatooFootage)) kinds.Add(("cockatoo", (w, h, s) => Real(CockatooFootage, 0, s)));
        for (var g = 0; g < GeneratorPrompts.Length; g++)
        {
            var prompt = g;
            kinds.Add(($"generator{g}", (w, h, s) => Generated(work, prompt, 960, 540, s)));
            kinds.Add(($"animated{g}", (w, h, s) => Animated(work, prompt, w, h, s)));
        }
        var requested = (names.Length == 0 ? DefaultCorpus : names).Split(',');
        // cockatoo is a kind even where its footage is not installed: then it is skipped, not refused.
        var unknown = requested.Where(n => n != "cockatoo" && kinds.All(k => k.Name != n)).ToList();
        if (unknown.Count > 0)
            throw new BenchUsageException($"--corpus: no clip kind named {string.Join(", ", unknown)}; the kinds are {string.Join(", ", kinds.Select(k => k.Name))}");
        kinds = requested.Select(n => kinds.FirstOrDefault(k => k.Name == n)).Where(k => k.Name is not null).ToList();
        if (kinds.Count == 0) throw new BenchUsageException($"--corpus {string.Join(",", requested)}: none of these clips' footage is installed");
        var list = new List<CorpusClip>();
        for (var i = first; i < first + count; i++)
        {
            var (name, input) = kinds[i % kinds.Count];
            var (w, h) = fixedHeight == 720 || (fixedHeight == 0 && i % 2 == 0) ? (1280, 720) : (1920, 1080);
            list.Add(new CorpusClip(i, i < kinds.Count ? name : $"{name}#{i / kinds.Count}", w, h, s => input(w, h, s)));
        }
        return list;
    }

    private static string[] Lavfi(string graph, int seconds) =>
        ["-f", "lavfi", "-i", graph, "-t", seconds.ToString(CultureInfo.InvariantCulture)];

    private static string[] Real(string path, int offset, int seconds) =>
        ["-ss", offset.ToString(CultureInfo.InvariantCulture), "-t", seconds.ToString(CultureInfo.InvariantCulture), "-i", path];

    private static void EnsureRealFootage()
    {
        if (File.Exists(Path.Combine(RealFootageFolder, "vtest.avi"))) return;
        BenchOutput.Progress("installing Debian's opencv-doc for real footage (vtest.avi, Megamind.avi)");
        var sudo = Environment.UserName == "root" ? "" : "sudo ";
        var psi = new System.Diagnostics.ProcessStartInfo("bash") { UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add($"{sudo}apt-get update -qq && DEBIAN_FRONTEND=noninteractive {sudo}apt-get install -y -qq opencv-doc >/dev/null");
        using var p = System.Diagnostics.Process.Start(psi)!;
        p.WaitForExit();
        if (!File.Exists(Path.Combine(RealFootageFolder, "vtest.avi")))
            throw new InvalidOperationException("real footage missing: apt-get install opencv-doc (provides vtest.avi)");
    }

    /// <summary>
    /// Writes a marked/unmarked pair of a smooth colour ramp for a person to look at (<c>gradient_plain.png</c>,
    /// <c>gradient_marked.png</c>: the middle 640x360 of a 1280x720 frame at 2x zoom), and <c>gradient_difference.png</c>
    /// (marked minus plain luma, x16 around mid-grey). The ramp carries grain that grows from none at the crop's left
    /// edge to ±8 levels at its right edge, so one picture shows the mask closed (clean ramp, left) and opening as grain
    /// appears: where a pattern could become visible on a smooth ramp. Returns the share of crop pixels the mark changed,
    /// the largest change, and PSNR-Y of the marked crop against the plain one.
    /// </summary>
    private static async Task<(double ChangedFraction, int MaxChange, double Psnr)> GradientScreenshotsAsync(WatermarkKey key,
        WatermarkOptions options, string outDir, CancellationToken ct)
    {
        const int w = 1280, h = 720, cw = 640, ch = 360, cx = 320, cy = 180;
        var plain = Path.Combine(outDir, "work", "gradient.mkv");
        var marked = Path.Combine(outDir, "work", "gradient.marked.mkv");
        var ramp = $"nullsrc=size={w}x{h}:rate=30,format=yuv420p,geq=lum='40+150*(X+Y)/(W+H)+16*clip((X-{cx})/{cw},0,1)*(random(1)-0.5)'"
            + ":cb='118+24*X/W':cr='146-24*Y/H'";
        await TranscodeAsync([.. Lavfi(ramp, 1), "-frames:v", "1"], w, h, 30, null, ["-frames:v", "1", "-c:v", "ffv1"], plain, ct);
        await TranscodeAsync(["-i", plain, "-frames:v", "1"], w, h, 30, new TiledWatermarkEmbedder(key, PayloadBase, options),
            ["-frames:v", "1", "-c:v", "ffv1"], marked, ct);
        var zoom = $"crop={cw}:{ch}:{cx}:{cy},scale={2 * cw}:{2 * ch}:flags=neighbor";
        foreach (var (input, png) in new[] { (plain, "gradient_plain.png"), (marked, "gradient_marked.png") })
            await RunToolAsync("ffmpeg", ["-loglevel", "error", "-i", input, "-vf", zoom, "-frames:v", "1", "-y", Path.Combine(outDir, png)], ct);
        await RunToolAsync("ffmpeg", ["-loglevel", "error", "-i", marked, "-i", plain, "-lavfi",
            $"[0:v]extractplanes=y[m];[1:v]extractplanes=y[p];[m][p]blend=all_expr='clip(128+16*(A-B),0,255)',{zoom}", "-frames:v", "1", "-y",
            Path.Combine(outDir, "gradient_difference.png")], ct);

        var a = (await AnalysisFramesFromAsync(["-i", plain], w, h, 30, ct)).Frames[0].Luma;
        var b = (await AnalysisFramesFromAsync(["-i", marked], w, h, 30, ct)).Frames[0].Luma;
        long changed = 0; var max = 0; double squared = 0;
        for (var y = cy; y < cy + ch; y++)
            for (var x = cx; x < cx + cw; x++)
            {
                var d = Math.Abs(b[y * w + x] - a[y * w + x]);
                if (d != 0) changed++;
                max = Math.Max(max, d); squared += d * d;
            }
        var psnr = squared > 0 ? 10 * Math.Log10(255.0 * 255.0 * cw * ch / squared) : double.PositiveInfinity;
        BenchOutput.Progress(string.Create(CultureInfo.InvariantCulture,
            $"gradient screenshots (2x zoom) in {outDir}: gradient_plain.png, gradient_marked.png, gradient_difference.png; "
            + $"mark changed {(double)changed / (cw * ch):P1} of the crop's pixels, largest change {max} levels, PSNR-Y {psnr:f2} dB"));
        return ((double)changed / (cw * ch), max, psnr);
    }
}
