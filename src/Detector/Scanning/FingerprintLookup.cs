using Provenance.Detector.Reports;
using Provenance.Detector.Sampling;
using Provenance.Ledger.Log;

namespace Provenance.Detector.Scanning;

/// <summary>
/// Perceptual fingerprint lookup in the transparency ledger: the shared sampled frames (no second decode) are
/// fingerprinted as the generator fingerprints the clips it registers (<see cref="FrameFingerprint"/>), each distinct
/// fingerprint is looked up by Hamming distance (<see cref="LedgerReader.FindByFingerprintAsync"/>, multi-index
/// search), and the matches are gathered per registered asset: its smallest distance and how many compared frames
/// matched it. Nearly uniform frames are left out (they would match any clip's black frames).
/// </summary>
public sealed class FingerprintLookup(LedgerReader reader, int maxDistance = FingerprintLookup.DefaultMaxDistance,
    int maxFrames = FingerprintLookup.DefaultMaxFrames) : IFingerprintLookup
{
    /// <summary>Matches are within 10 of 64 bits: re-encoding, rescaling and mild edits stay under it; unrelated
    /// pictures differ in about 32.</summary>
    public const int DefaultMaxDistance = 10;

    /// <summary>Most frames fingerprinted per clip, spread evenly over the sample (bounds the number of queries).</summary>
    public const int DefaultMaxFrames = 48;

    /// <summary>Most assets reported.</summary>
    public const int MaxMatches = 16;

    /// <summary>Queries in flight at once.</summary>
    private const int Parallelism = 4;

    public int MaxDistance { get; } = maxDistance is >= 0 and <= LedgerReader.MaxFingerprintDistance
        ? maxDistance : throw new ArgumentOutOfRangeException(nameof(maxDistance), $"0 to {LedgerReader.MaxFingerprintDistance} bits");

    public async Task<FingerprintSection> LookupAsync(SampledVideo video, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(video);
        var frames = ClassifierStage.Spread(video.Frames, maxFrames);
        var hashes = await Task.Run(() => frames.Select(f => FrameFingerprint.Compute(f.Image)).ToArray(), cancellationToken).ConfigureAwait(false);
        var compared = hashes.Where(h => h is not null).Select(h => h!.Value).ToList();
        if (compared.Count == 0)
        {
            return new FingerprintSection
            {
                Status = CheckStatus.Checked, MaxDistance = MaxDistance,
                Reason = "every sampled frame is nearly uniform: there is no picture to fingerprint",
            };
        }

        var found = new Dictionary<ulong, IReadOnlyList<Provenance.Ledger.Log.FingerprintMatch>>();
        await Parallel.ForEachAsync(compared.Distinct(), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (hash, ct) =>
            {
                var matches = await reader.FindByFingerprintAsync(hash, MaxDistance, ct).ConfigureAwait(false);
                lock (found)
                {
                    found[hash] = matches;
                }
            }).ConfigureAwait(false);

        return new FingerprintSection
        {
            Status = CheckStatus.Checked,
            FramesCompared = compared.Count,
            MaxDistance = MaxDistance,
            Matches = Aggregate(compared, found),
        };
    }

    /// <summary>Per asset: the smallest distance, the number of compared frames within the bound, its first ledger entry.
    /// Most matched frames first, then nearest.</summary>
    private static List<Reports.FingerprintMatch> Aggregate(IReadOnlyList<ulong> compared,
        IReadOnlyDictionary<ulong, IReadOnlyList<Provenance.Ledger.Log.FingerprintMatch>> found)
    {
        var byAsset = new Dictionary<ulong, (int Distance, int Frames, LoggedEntry Entry)>();
        foreach (var hash in compared)
        {
            // One frame counts once per asset, at its nearest entry.
            foreach (var group in found[hash].GroupBy(m => m.Entry.Entry.AssetId))
            {
                var nearest = group.MinBy(m => m.Distance)!;
                var first = group.MinBy(m => m.Entry.Index)!.Entry;
                byAsset[group.Key] = byAsset.TryGetValue(group.Key, out var seen)
                    ? (Math.Min(seen.Distance, nearest.Distance), seen.Frames + 1, seen.Entry.Index <= first.Index ? seen.Entry : first)
                    : (nearest.Distance, 1, first);
            }
        }
        return byAsset
            .OrderByDescending(a => a.Value.Frames).ThenBy(a => a.Value.Distance).ThenBy(a => a.Value.Entry.Index)
            .Take(MaxMatches)
            .Select(a => new Reports.FingerprintMatch(LedgerEntry.FormatId(a.Key), a.Value.Distance, a.Value.Frames)
            {
                LedgerIndex = a.Value.Entry.Index,
                CreatedAt = a.Value.Entry.IntegratedTime,
                Generator = a.Value.Entry.Entry.GeneratorId,
            })
            .ToList();
    }
}
