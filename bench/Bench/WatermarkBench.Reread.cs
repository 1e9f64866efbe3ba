using System.Globalization;
using Provenance.Watermark;

namespace Provenance.Bench;

internal static partial class WatermarkBench
{
    /// <summary>
    /// `--reread`: reads again, with the options given now, what an earlier run left in the work folder: each clip's
    /// attacked copies (`c{i}.{attack}.*`, the attacks of both suites named by `--attacks`), its unmarked encode in 1 s windows and its
    /// marked encode under `--null-keys` random keys, plus `--null-segments` unmarked windows beyond the corpus. Nothing
    /// is marked or encoded again, so a change to the extractor is measured on exactly the files the run read. With
    /// `--reattack` the named attacks are first applied again to the run's marked copies (for an attack whose definition
    /// changed); the marks themselves are still the run's.
    /// </summary>
    private static async Task<Dictionary<string, object?>> RereadAsync(string selection, bool reattack, List<CorpusClip> corpus,
        string work, WatermarkKey key, WatermarkOptions options, int nullKeys, int extraNullSegments, CancellationToken ct)
    {
        var attacks = SelectAttacks(WatermarkAttacks.Platform, selection, "platform")
            .Concat(SelectAttacks(WatermarkAttacks.VideoSealProtocol, selection, "videoseal")).ToList();
        var recovered = new Dictionary<string, List<bool>>();
        var bitAccuracy = new Dictionary<string, List<double>>();
        var nulls = new NullReads();
        var reads = new List<string>();
        foreach (var clip in corpus)
        {
            var i = clip.Index;
            var payload = PayloadBase + (ulong)i * 0x10001;
            var label = $"{clip.Name}@{clip.Height}p";
            foreach (var attack in attacks)
            {
                var file = Path.Combine(work, $"c{i}.{attack.Name}.{attack.Extension}");
                if (reattack)
                {
                    // The marked copy each suite attacks: the 10 s CRF 23 encode, or Video Seal's 72 lossless frames.
                    var source = Path.Combine(work, WatermarkAttacks.VideoSealProtocol.Contains(attack) ? $"c{i}.vs.mkv" : $"c{i}.marked.mp4");
                    if (!File.Exists(source)) continue;
                    file = await AttackAsync(source, attack, work, i, ct);
                }
                if (!File.Exists(file)) continue;
                var (hit, acc, sync) = await ReadAsync(file, key, payload, options, ct);
                Record(recovered, bitAccuracy, attack.Name, hit, acc);
                var line = $"{label} {attack.Name}: {(hit ? "recovered" : "missed")}, bit accuracy {acc:P1} sync {sync}";
                reads.Add(line);
                BenchOutput.Progress(line);
            }
            var plain = Path.Combine(work, $"c{i}.plain.mp4");
            var marked = Path.Combine(work, $"c{i}.marked.mp4");
            if (File.Exists(plain) && File.Exists(marked)) await nulls.ReadAsync(plain, marked, key, options, nullKeys, ct);
        }
        if (recovered.Count == 0)
            throw new InvalidOperationException($"nothing to read again in {work}: run the benchmark first with the same --first, --clips, --corpus and --attacks");
        var (extraReads, extraHits, extraMinP) = await UnmarkedSegmentsAsync(key, options, extraNullSegments - nulls.Reads, work, ct);
        PrintTable(recovered, bitAccuracy);
        return new Dictionary<string, object?>
        {
            ["mode"] = "reread",
            ["recovery"] = recovered.ToDictionary(kv => kv.Key, kv => (object?)Math.Round(kv.Value.Count(b => b) / (double)kv.Value.Count, 4)),
            ["recovery_clips"] = recovered.ToDictionary(kv => kv.Key, kv => (object?)kv.Value.Count),
            ["bit_accuracy"] = bitAccuracy.ToDictionary(kv => kv.Key, kv => (object?)Math.Round(kv.Value.Average(), 4)),
            ["false_positives"] = nulls.Found + nulls.WrongKeyFound + extraHits,
            ["unmarked_segment_reads"] = nulls.Reads + extraReads,
            ["wrong_key_reads"] = nulls.WrongKeyReads,
            ["null_p_value_min"] = Math.Min(nulls.MinP, extraMinP),
            ["reads"] = reads,
            ["options"] = options.ToString(),
        };
    }

    /// <summary>False-positive reads of one clip: its unmarked encode in 1 s windows under the benchmark key, and its
    /// marked encode under random keys; counts accumulate over clips.</summary>
    private sealed class NullReads
    {
        public int Reads, Found, WrongKeyReads, WrongKeyFound;
        public double MinP = 1.0;

        public async Task ReadAsync(string plain, string marked, WatermarkKey key, WatermarkOptions options, int wrongKeys, CancellationToken ct)
        {
            var profile = new TiledWatermarkExtractor(key, options).PreferredAnalysis;
            var plainFrames = await AnalysisFramesAsync(plain, profile, ct);
            foreach (var window in Windows(plainFrames, 1.0))
            {
                var r = Extract(new TiledWatermarkExtractor(key, options), plainFrames, window);
                Reads++; MinP = Math.Min(MinP, r.PValue);
                if (r.Found) Found++;
            }
            var markedFrames = await AnalysisFramesAsync(marked, profile, ct);
            for (var k = 0; k < wrongKeys; k++)
            {
                var r = Extract(new TiledWatermarkExtractor(WatermarkKey.Generate(), options), markedFrames, (0, markedFrames.Frames.Count));
                WrongKeyReads++; MinP = Math.Min(MinP, r.PValue);
                if (r.Found) WrongKeyFound++;
            }
            BenchOutput.Progress(string.Create(CultureInfo.InvariantCulture,
                $"    null reads so far {Reads} ({Found} found), wrong-key reads {WrongKeyReads} ({WrongKeyFound} found), min p {MinP:g3}"));
        }
    }
}
