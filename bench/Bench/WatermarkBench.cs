using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using Provenance.Watermark;

namespace Provenance.Bench;

/// <summary>
/// `bench/run.sh watermark [--clips N] [--seconds S] [--attacks platform|videoseal|all|a,b,c] [--null-keys K] [--out DIR]`
/// (or `--speed-only`, see <see cref="ExtractionSpeedAsync"/>; or `--reread`, see <see cref="RereadAsync"/>):
/// marks a corpus (real footage from Debian's opencv-doc and ffmpeg synthetic sources, alternating 720p and 1080p),
/// encodes marked and unmarked copies at x264 CRF 23, runs the attack suites, and reports per attack the exact-payload
/// recovery rate and mean bit accuracy of the 64 payload bits; PSNR-Y/SSIM of marked vs unmarked encodes, next to a
/// codec floor measured in the same run (an equal-size random change encoded alike, see CodecFloorPerturbation) and to
/// both encodes against the source frames; bitrate increase; false detections over unmarked segments and wrong-key
/// reads; embed overhead against the plain encode; extractor CPU seconds per minute of video beyond decoding (measured
/// at the end, as `--speed-only` does). Defaults are the full run (20 clips x 10 s).
/// </summary>
internal static partial class WatermarkBench
{
    /// <summary>What <c>bench/run.sh watermark</c> accepts (checked before it runs).</summary>
    public static BenchArgs Arguments { get; } = new(
        "bench/run.sh watermark [--clips N] [--first K] [--seconds S] [--corpus a,b,...] [--height 720|1080] "
            + "[--attacks platform|videoseal|all|none|a,b,...] [--full-clips N] [--null-segments N] [--null-keys K] "
            + "[--option Name=value,...] [--out DIR]\n"
            + "       bench/run.sh watermark --reread [--reattack] [same options]   (reads the files of an earlier run again; --reattack\n"
            + "         applies the named attacks to its marked copies again first)\n"
            + "       bench/run.sh watermark --merge DIR1,DIR2,...     (adds up the parts of a run made with --first)\n"
            + "       bench/run.sh watermark --speed-only [--speed-seconds S] [--speed-passes N] [--speed-input FILE] [--option ...]",
        ["--clips", "--first", "--seconds", "--corpus", "--height", "--attacks", "--full-clips", "--null-segments", "--null-keys",
        "--option", "--out", "--merge", "--speed-seconds", "--speed-passes", "--speed-input"],
        ["--reread", "--reattack", "--speed-only"]);

    private const ulong PayloadBase = 0x5eed000000000000;

    public static async Task<IReadOnlyDictionary<string, object?>> RunAsync(string[] args, CancellationToken ct)
    {
        var merge = StringArg(args, "--merge", "");
        if (merge.Length > 0) return Merge(merge);
        var clips = IntArg(args, "--clips", 20);
        var seconds = IntArg(args, "--seconds", 10);
        var nullKeys = IntArg(args, "--null-keys", 2);
        var attackSet = StringArg(args, "--attacks", CoreAttacks);
        CheckAttackSelection(attackSet);
        var fullClips = IntArg(args, "--full-clips", 1);
        var heightArg = IntArg(args, "--height", 0);
        if (heightArg is not (0 or 720 or 1080)) throw new BenchUsageException("--height must be 720 or 1080 (without it, heights alternate)");
        var extraNullSegments = IntArg(args, "--null-segments", 1000);
        var first = IntArg(args, "--first", 0);
        if (first < 0 || clips < 1) throw new BenchUsageException("--first must be 0 or more and --clips 1 or more");
        var options = OptionsFrom(args);
        var outDir = Path.GetFullPath(StringArg(args, "--out", "bench/out/watermark"));
        Directory.CreateDirectory(outDir);
        var work = Path.Combine(outDir, "work");
        Directory.CreateDirectory(work);
        var key = WatermarkKey.Parse("7a1c9e3b5d2f4068a1b3c5d7e9f10213243546576879a8b9cadbecfd0e1f2031");

        if (args.Contains("--speed-only")) return await ExtractionSpeedAsync(args, key, options, ct);
        var corpusArg = StringArg(args, "--corpus", "");
        var corpus = Corpus(clips, work, corpusArg, heightArg, first);
        // The list the places count in: parts of one run over it (`--first`) must agree on this to be merged.
        var corpusList = $"{(corpusArg.Length == 0 ? "default" : corpusArg)}, height {(heightArg == 0 ? "alternating" : heightArg.ToString(CultureInfo.InvariantCulture))}";
        if (args.Contains("--reread")) return await RereadAsync(attackSet, args.Contains("--reattack"), corpus, work, key, options, nullKeys, extraNullSegments, ct);
        BenchOutput.Progress($"corpus: {corpus.Count} clips x {seconds} s; attacks: {attackSet}; work folder {work}");
        BenchOutput.Progress($"full attack suites (platform + Video Seal protocol) on the first {fullClips} clips");
        var corePlatform = SelectAttacks(WatermarkAttacks.Platform, attackSet, "platform");
        var coreVideoSeal = SelectAttacks(WatermarkAttacks.VideoSealProtocol, attackSet, "videoseal");

        var recovered = new Dictionary<string, List<bool>>();
        var bitAccuracy = new Dictionary<string, List<double>>();
        var psnr = new List<double>(); var ssim = new List<double>(); var markPsnr = new List<double>();
        var quality = new List<ClipQuality>();
        (double ChangedFraction, int MaxChange, double Psnr)? gradient = null;
        var bitrate = new List<double>();
        double markSeconds = 0, plainSeconds = 0, markedSeconds = 0;
        var nulls = new NullReads();

        for (var n = 0; n < corpus.Count; n++)
        {
            var clip = corpus[n];
            var i = clip.Index;
            var platform = n < fullClips ? WatermarkAttacks.Platform : corePlatform;
            var videoSeal = n < fullClips ? WatermarkAttacks.VideoSealProtocol : coreVideoSeal;
            var payload = PayloadBase + (ulong)i * 0x10001;
            var marked = Path.Combine(work, $"c{i}.marked.mp4");
            var plain = Path.Combine(work, $"c{i}.plain.mp4");
            var input = clip.Input(seconds);
            string[] x264 = ["-c:v", "libx264", "-crf", "23", "-preset", "medium", "-pix_fmt", "yuv420p"];
            // Alternate the order so background load hits both alike.
            double tMarked = 0, tPlain = 0, mark = 0, alone = 0;
            for (var pass = 0; pass < 2; pass++)
            {
                var sw = Stopwatch.StartNew();
                if ((pass + i) % 2 == 0)
                {
                    (_, mark, alone) = await TranscodeAsync(input, clip.Width, clip.Height, 30, new TiledWatermarkEmbedder(key, payload, options), x264, marked, ct);
                    tMarked = sw.Elapsed.TotalSeconds;
                }
                else
                {
                    await TranscodeAsync(input, clip.Width, clip.Height, 30, null, x264, plain, ct);
                    tPlain = sw.Elapsed.TotalSeconds;
                }
            }
            markSeconds += mark; plainSeconds += tPlain; markedSeconds += tMarked;
            // Codec floor (see CodecFloorPerturbation): the same frames changed by exactly the mark's size but not by the
            // mark, one more encode with the same settings; then marked vs unmarked, floor vs unmarked, and both real
            // encodes vs the source frames, in one comparison pass.
            var floor = Path.Combine(work, $"c{i}.floor.mp4");
            var (_, _, floorAlone) = await TranscodeAsync(input, clip.Width, clip.Height, 30,
                new CodecFloorPerturbation(new TiledWatermarkEmbedder(key, payload, options), PayloadBase ^ (ulong)i), x264, floor, ct);
            var q = await CompareAsync([marked, plain, floor], [(0, 1), (2, 1), (0, 3), (1, 3)], new SourceFrames(input, clip.Width, clip.Height, 30), ct);
            var (p, s) = q[0];
            psnr.Add(p); ssim.Add(s); markPsnr.Add(alone);
            quality.Add(new ClipQuality($"{clip.Name}@{clip.Height}p", p, s, floorAlone, q[1].Psnr, q[1].Ssim, q[2].Psnr, q[2].Ssim, q[3].Psnr, q[3].Ssim));
            bitrate.Add((double)new FileInfo(marked).Length / new FileInfo(plain).Length - 1);
            BenchOutput.Progress($"[{n + 1}/{corpus.Count}] #{i} {clip.Name} {clip.Width}x{clip.Height}: PSNR-Y {p:f2} dB SSIM {s:f4} (mark alone {alone:f2} dB) bitrate {bitrate[^1]:+0.0%;-0.0%} mark {mark:f1}s of {tMarked:f1}s (plain {tPlain:f1}s)");
            BenchOutput.Progress($"    codec floor (equal-size random change, {floorAlone:f2} dB alone): PSNR-Y {q[1].Psnr:f2} dB SSIM {q[1].Ssim:f4}; "
                + $"vs source: marked {q[2].Psnr:f2} dB / {q[2].Ssim:f4}, unmarked {q[3].Psnr:f2} dB / {q[3].Ssim:f4}");

            foreach (var attack in platform)
            {
                var file = await AttackAsync(marked, attack, work, i, ct);
                var (hit, acc, sync) = await ReadAsync(file, key, payload, options, ct);
                Record(recovered, bitAccuracy, attack.Name, hit, acc);
                BenchOutput.Progress($"    {attack.Name}: {(hit ? "recovered" : "missed")}, bit accuracy {acc:P1} sync {sync}");
            }

            if (videoSeal.Count > 0)
            {
                // Video Seal's protocol: 72 frames at 24 fps, marked and kept lossless before each attack.
                var vsMarked = Path.Combine(work, $"c{i}.vs.mkv");
                await TranscodeAsync([.. clip.Input(3)], clip.Width, clip.Height, 24, new TiledWatermarkEmbedder(key, payload, options),
                    ["-c:v", "ffv1", "-level", "3"], vsMarked, ct, maxFrames: 72);
                foreach (var attack in videoSeal)
                {
                    var file = await AttackAsync(vsMarked, attack, work, i, ct);
                    var (hit, acc, _) = await ReadAsync(file, key, payload, options, ct);
                    Record(recovered, bitAccuracy, attack.Name, hit, acc);
                    BenchOutput.Progress($"    {attack.Name}: {(hit ? "recovered" : "missed")}, bit accuracy {acc:P1}");
                }
            }

            // False positives: 1 s windows of the unmarked encode under the right key; the marked encode under random keys.
            await nulls.ReadAsync(plain, marked, key, options, nullKeys, ct);
            await File.WriteAllTextAsync(Path.Combine(outDir, "partial.json"), BenchOutput.ToJson(Summary()), ct);
        }

        var (extraReads, extraHits, extraMinP) = await UnmarkedSegmentsAsync(key, options, extraNullSegments - nulls.Reads, work, ct);
        nulls.Reads += extraReads; nulls.Found += extraHits; nulls.MinP = Math.Min(nulls.MinP, extraMinP);
        gradient = await GradientScreenshotsAsync(key, options, outDir, ct);
        PrintTable(recovered, bitAccuracy);
        var summary = Summary();
        foreach (var (name, value) in await ExtractionSpeedAsync(args, key, options, ct))
            if (name.StartsWith("extract_", StringComparison.Ordinal) || name == "load_average_1min") summary[name] = value;
        await File.WriteAllTextAsync(Path.Combine(outDir, "summary.json"), BenchOutput.ToJson(summary), ct);
        return summary;

        Dictionary<string, object?> Summary() => new()
        {
            ["clips_done"] = psnr.Count,
            ["clips"] = corpus.Count,
            ["seconds_per_clip"] = seconds,
            ["corpus"] = string.Join(", ", corpus.Select(c => $"{c.Name}@{c.Height}p")),
            ["corpus_first"] = first,
            ["corpus_list"] = corpusList,
            ["psnr_db_min"] = Round(psnr.DefaultIfEmpty(double.NaN).Min(), 2),
            ["psnr_db_mean"] = Round(psnr.DefaultIfEmpty(double.NaN).Average(), 2),
            ["psnr_mark_alone_db_min"] = Round(markPsnr.DefaultIfEmpty(double.NaN).Min(), 2),
            ["psnr_mark_alone_db_mean"] = Round(markPsnr.DefaultIfEmpty(double.NaN).Average(), 2),
            ["ssim_min"] = Round(ssim.DefaultIfEmpty(double.NaN).Min(), 4),
            ["ssim_mean"] = Round(ssim.DefaultIfEmpty(double.NaN).Average(), 4),
            ["psnr_codec_floor_db_min"] = Round(quality.Select(c => c.FloorPsnr).DefaultIfEmpty(double.NaN).Min(), 2),
            ["psnr_codec_floor_db_mean"] = Round(quality.Select(c => c.FloorPsnr).DefaultIfEmpty(double.NaN).Average(), 2),
            ["ssim_codec_floor_min"] = Round(quality.Select(c => c.FloorSsim).DefaultIfEmpty(double.NaN).Min(), 4),
            ["ssim_codec_floor_mean"] = Round(quality.Select(c => c.FloorSsim).DefaultIfEmpty(double.NaN).Average(), 4),
            ["psnr_codec_floor_change_alone_db_min"] = Round(quality.Select(c => c.FloorAlone).DefaultIfEmpty(double.NaN).Min(), 2),
            ["psnr_vs_floor_db_mean"] = Round(quality.Select(c => c.Psnr - c.FloorPsnr).DefaultIfEmpty(double.NaN).Average(), 2),
            ["psnr_vs_floor_db_min"] = Round(quality.Select(c => c.Psnr - c.FloorPsnr).DefaultIfEmpty(double.NaN).Min(), 2),
            ["ssim_vs_floor_mean"] = Round(quality.Select(c => c.Ssim - c.FloorSsim).DefaultIfEmpty(double.NaN).Average(), 4),
            ["psnr_source_marked_db_mean"] = Round(quality.Select(c => c.MarkedSourcePsnr).DefaultIfEmpty(double.NaN).Average(), 2),
            ["psnr_source_unmarked_db_mean"] = Round(quality.Select(c => c.PlainSourcePsnr).DefaultIfEmpty(double.NaN).Average(), 2),
            ["psnr_source_loss_db_mean"] = Round(quality.Select(c => c.PlainSourcePsnr - c.MarkedSourcePsnr).DefaultIfEmpty(double.NaN).Average(), 3),
            ["psnr_source_loss_db_max"] = Round(quality.Select(c => c.PlainSourcePsnr - c.MarkedSourcePsnr).DefaultIfEmpty(double.NaN).Max(), 3),
            ["ssim_source_marked_mean"] = Round(quality.Select(c => c.MarkedSourceSsim).DefaultIfEmpty(double.NaN).Average(), 4),
            ["ssim_source_unmarked_mean"] = Round(quality.Select(c => c.PlainSourceSsim).DefaultIfEmpty(double.NaN).Average(), 4),
            ["ssim_source_loss_mean"] = Round(quality.Select(c => c.PlainSourceSsim - c.MarkedSourceSsim).DefaultIfEmpty(double.NaN).Average(), 4),
            ["quality_per_clip"] = quality.ToDictionary(c => c.Clip, c => (object?)c.ToFigures()),
            ["gradient_changed_fraction"] = gradient is { } g ? Round(g.ChangedFraction, 4) : null,
            ["gradient_max_change"] = gradient?.MaxChange,
            ["gradient_psnr_db"] = gradient is { } g2 ? Round(g2.Psnr, 2) : null,
            ["bitrate_increase_crf23"] = Round(bitrate.DefaultIfEmpty(double.NaN).Average(), 4),
            ["bitrate_increase_crf23_median"] = Round(bitrate.Count == 0 ? double.NaN : bitrate.Order().ElementAt(bitrate.Count / 2), 4),
            ["bitrate_increase_crf23_max"] = Round(bitrate.DefaultIfEmpty(double.NaN).Max(), 4),
            ["recovery"] = recovered.ToDictionary(kv => kv.Key, kv => (object?)Math.Round(kv.Value.Count(b => b) / (double)kv.Value.Count, 4)),
            ["recovery_clips"] = recovered.ToDictionary(kv => kv.Key, kv => (object?)kv.Value.Count),
            ["bit_accuracy"] = bitAccuracy.ToDictionary(kv => kv.Key, kv => (object?)Math.Round(kv.Value.Average(), 4)),
            ["false_positives"] = nulls.Found + nulls.WrongKeyFound,
            ["unmarked_segment_reads"] = nulls.Reads,
            ["unmarked_segment_seconds"] = 1.0,
            ["unmarked_false_positives"] = nulls.Found,
            ["wrong_key_reads"] = nulls.WrongKeyReads,
            ["wrong_key_false_positives"] = nulls.WrongKeyFound,
            ["null_p_value_min"] = nulls.MinP,
            ["embed_overhead_ratio"] = Round((markedSeconds - plainSeconds) / plainSeconds, 4),
            ["embed_cpu_ratio"] = Round(markSeconds / plainSeconds, 4),
            ["options"] = options.ToString(),
        };
    }

    /// <summary>Rounded, or null when not a finite number (JSON has no NaN).</summary>
    private static double? Round(double v, int digits) => double.IsFinite(v) ? Math.Round(v, digits) : null;

    private static void Record(Dictionary<string, List<bool>> rec, Dictionary<string, List<double>> acc, string name, bool hit, double accuracy)
    {
        if (!rec.TryGetValue(name, out var r)) rec[name] = r = [];
        if (!acc.TryGetValue(name, out var a)) acc[name] = a = [];
        r.Add(hit); a.Add(accuracy);
    }

    private static async Task<string> AttackAsync(string marked, WatermarkAttack attack, string work, int clip, CancellationToken ct)
    {
        var file = Path.Combine(work, $"c{clip}.{attack.Name}.{attack.Extension}");
        await RunToolAsync("ffmpeg", ["-loglevel", "error", "-i", marked, .. attack.Arguments, "-an", "-y", file], ct);
        return file;
    }

    /// <summary>Reads a clip; returns exact recovery, bit accuracy of the 64 payload bits and the sync figures.</summary>
    private static async Task<(bool Hit, double Accuracy, string Sync)> ReadAsync(string file, WatermarkKey key, ulong payload, WatermarkOptions options, CancellationToken ct)
    {
        var extractor = new TiledWatermarkExtractor(key, options);
        var frames = await AnalysisFramesAsync(file, extractor.PreferredAnalysis, ct);
        for (var f = 0; f < frames.Frames.Count; f++)
            extractor.Accumulate(frames.Frames[f].Luma, frames.Width, frames.Height, frames.Width, f, frames.Frames[f].Time);
        var r = extractor.Result();
        var accuracy = r.CandidatePayload is { } c ? 1 - BitOperations.PopCount(c ^ payload) / 64.0 : 0.5;
        return (r.Found && r.Payload == payload, accuracy,
            string.Create(CultureInfo.InvariantCulture, $"{r.SyncScore:f2} p {r.PValue:g2} raw {r.RawBitAgreement:f3} scale {r.Scale:f3}"));
    }

    private static WatermarkDetection Extract(TiledWatermarkExtractor extractor, AnalysisClip clip, (int Start, int End) range)
    {
        for (var f = range.Start; f < range.End; f++)
            extractor.Accumulate(clip.Frames[f].Luma, clip.Width, clip.Height, clip.Width, f, clip.Frames[f].Time);
        return extractor.Result();
    }

    private static IEnumerable<(int Start, int End)> Windows(AnalysisClip clip, double seconds)
    {
        var per = (int)Math.Round(seconds * clip.FramesPerSecond);
        for (var s = 0; s + per <= clip.Frames.Count; s += per) yield return (s, s + per);
    }

    private static void PrintTable(Dictionary<string, List<bool>> rec, Dictionary<string, List<double>> acc) =>
        PrintTable(rec.ToDictionary(kv => kv.Key, kv => (kv.Value.Count, kv.Value.Count(b => b), acc[kv.Key].Average())));

    /// <summary>One line per attack read: its target group, clips read, exact recovery and mean bit accuracy.</summary>
    private static void PrintTable(Dictionary<string, (int Clips, int Hits, double BitAccuracy)> rows)
    {
        Console.WriteLine($"{"attack",-22} {"target",-10} {"clips",5} {"exact",8} {"bit acc",8}");
        foreach (var attack in WatermarkAttacks.Platform.Concat(WatermarkAttacks.VideoSealProtocol))
        {
            if (!rows.TryGetValue(attack.Name, out var r)) continue;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{attack.Name,-22} {attack.Target,-10} {r.Clips,5} {r.Hits / (double)r.Clips,8:P1} {r.BitAccuracy,8:P1}"));
        }
    }

    /// <summary>The attacks of <paramref name="suite"/> that <paramref name="selection"/> names (a suite's name, all,
    /// none, or attack names separated by commas, checked by <see cref="CheckAttackSelection"/>).</summary>
    private static IReadOnlyList<WatermarkAttack> SelectAttacks(IReadOnlyList<WatermarkAttack> suite, string selection, string suiteName) =>
        selection switch
        {
            "all" => suite,
            "none" => [],
            _ when selection == suiteName => suite,
            "platform" or "videoseal" => [],
            _ => suite.Where(a => selection.Split(',').Contains(a.Name)).ToList(),
        };

    /// <summary>Refuses an <c>--attacks</c> list that names an attack of neither suite.</summary>
    private static void CheckAttackSelection(string selection)
    {
        if (selection is "all" or "none" or "platform" or "videoseal") return;
        var known = WatermarkAttacks.Platform.Concat(WatermarkAttacks.VideoSealProtocol).Select(a => a.Name).ToHashSet();
        var unknown = selection.Split(',').Where(n => !known.Contains(n)).ToList();
        if (unknown.Count > 0)
            throw new BenchUsageException($"--attacks: no attack named {string.Join(", ", unknown)}; the attacks are {string.Join(", ", known)}");
    }

    private static int IntArg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        if (i < 0 || i + 1 >= args.Length) return fallback;
        return int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var value) ? value
            : throw new BenchUsageException($"{name} takes a whole number, not {args[i + 1]}");
    }

    private static string StringArg(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
