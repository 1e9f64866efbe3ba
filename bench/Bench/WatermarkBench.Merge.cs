using System.Text.Json;
using Provenance.Watermark;

namespace Provenance.Bench;

internal static partial class WatermarkBench
{
    /// <summary>
    /// `--merge OUT1,OUT2,…`: the robustness figures of runs over consecutive parts of one corpus (`--first`), added up as
    /// if one run had read every clip: recovery and bit accuracy per attack weighted by the clips each run read, and the
    /// false-positive counts. A full suite takes about 14 minutes a clip on two cores, so the full suite over the 20-clip
    /// corpus is run in parts. Each part's `summary.json` is read (or its `partial.json` when every clip of it was done);
    /// parts whose clip ranges overlap, that ran with other options or clip lengths, or that count their places in another
    /// corpus list (`--corpus`, `--height`) are refused. Quality, bitrate and speed figures are not merged: they come from
    /// the whole-corpus run.
    /// </summary>
    private static Dictionary<string, object?> Merge(string list)
    {
        var dirs = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (dirs.Length == 0) throw new BenchUsageException("--merge needs one or more output folders, separated by commas");
        var hits = new Dictionary<string, int>();
        var reads = new Dictionary<string, int>();
        var accuracy = new Dictionary<string, double>();
        var ranges = new List<(int First, int Count, string Dir)>();
        var corpus = new List<string>();
        string? options = null, corpusList = null;
        int? seconds = null;
        long unmarked = 0, wrongKeys = 0, falsePositives = 0;
        var minP = 1.0;
        foreach (var dir in dirs)
        {
            using var doc = ReadSummary(dir);
            var root = doc.RootElement;
            var first = root.TryGetProperty("corpus_first", out var f) ? f.GetInt32() : 0;
            var count = root.GetProperty("clips_done").GetInt32();
            foreach (var r in ranges)
                if (first < r.First + r.Count && r.First < first + count)
                    throw new InvalidOperationException($"{dir} (clips {first}-{first + count - 1}) overlaps {r.Dir} (clips {r.First}-{r.First + r.Count - 1})");
            ranges.Add((first, count, dir));
            var runOptions = root.GetProperty("options").GetString();
            var runSeconds = root.GetProperty("seconds_per_clip").GetInt32();
            if (options is not null && (runOptions != options || runSeconds != seconds))
                throw new InvalidOperationException($"{dir} ran with other options or clip lengths than {dirs[0]}: {runOptions}, {runSeconds} s");
            options = runOptions; seconds = runSeconds;
            // Runs from before `corpus_list` was recorded carry none and are taken as they are.
            if (root.TryGetProperty("corpus_list", out var l) && l.GetString() is { } runList)
            {
                if (corpusList is not null && runList != corpusList)
                    throw new InvalidOperationException($"{dir} counts its places in another corpus list ({runList}) than the parts before it ({corpusList})");
                corpusList = runList;
            }
            corpus.Add(root.GetProperty("corpus").GetString() ?? "");
            var clipsPerAttack = root.GetProperty("recovery_clips");
            var bitAccuracy = root.GetProperty("bit_accuracy");
            foreach (var attack in root.GetProperty("recovery").EnumerateObject())
            {
                var n = clipsPerAttack.GetProperty(attack.Name).GetInt32();
                hits[attack.Name] = hits.GetValueOrDefault(attack.Name) + (int)Math.Round(attack.Value.GetDouble() * n);
                reads[attack.Name] = reads.GetValueOrDefault(attack.Name) + n;
                accuracy[attack.Name] = accuracy.GetValueOrDefault(attack.Name) + bitAccuracy.GetProperty(attack.Name).GetDouble() * n;
            }
            unmarked += root.GetProperty("unmarked_segment_reads").GetInt64();
            wrongKeys += root.GetProperty("wrong_key_reads").GetInt64();
            falsePositives += root.GetProperty("false_positives").GetInt64();
            minP = Math.Min(minP, root.GetProperty("null_p_value_min").GetDouble());
        }

        PrintTable(reads.ToDictionary(kv => kv.Key, kv => (kv.Value, hits[kv.Key], accuracy[kv.Key] / kv.Value)));
        var known = WatermarkAttacks.Platform.Concat(WatermarkAttacks.VideoSealProtocol).ToList();
        var atTarget = new Dictionary<string, object?>();
        foreach (var (target, goal) in new[] { (AttackTarget.Recover99, 0.99), (AttackTarget.Recover95, 0.95) })
        {
            var group = known.Where(a => a.Target == target && reads.ContainsKey(a.Name)).ToList();
            atTarget[target.ToString()] = $"{group.Count(a => hits[a.Name] >= goal * reads[a.Name])} of {group.Count}";
        }
        return new Dictionary<string, object?>
        {
            ["mode"] = "merge",
            ["runs"] = dirs,
            ["clips"] = ranges.Sum(r => r.Count),
            ["seconds_per_clip"] = seconds,
            ["corpus"] = string.Join(", ", corpus),
            ["corpus_list"] = corpusList,
            ["recovery"] = reads.ToDictionary(kv => kv.Key, kv => (object?)Math.Round(hits[kv.Key] / (double)kv.Value, 4)),
            ["recovery_clips"] = reads.ToDictionary(kv => kv.Key, kv => (object?)kv.Value),
            ["bit_accuracy"] = reads.ToDictionary(kv => kv.Key, kv => (object?)Math.Round(accuracy[kv.Key] / kv.Value, 4)),
            ["attacks_at_target"] = atTarget,
            ["false_positives"] = falsePositives,
            ["unmarked_segment_reads"] = unmarked,
            ["wrong_key_reads"] = wrongKeys,
            ["null_p_value_min"] = minP,
            ["options"] = options,
        };
    }

    /// <summary>A run's final figures, or its progress file when that run read every clip before it stopped.</summary>
    private static JsonDocument ReadSummary(string dir)
    {
        var summary = Path.Combine(dir, "summary.json");
        if (File.Exists(summary)) return JsonDocument.Parse(File.ReadAllText(summary));
        var partial = Path.Combine(dir, "partial.json");
        if (!File.Exists(partial)) throw new FileNotFoundException($"no summary.json or partial.json in {dir}");
        var doc = JsonDocument.Parse(File.ReadAllText(partial));
        var root = doc.RootElement;
        var (done, clips) = (root.GetProperty("clips_done").GetInt32(), root.GetProperty("clips").GetInt32());
        if (done == clips) return doc;
        doc.Dispose();
        throw new InvalidOperationException($"{dir} stopped before its last clip (partial.json: {done} of {clips})");
    }
}
