using System.Threading.Channels;
using Provenance.Detector.Classification;
using Provenance.Detector.Reports;
using Provenance.Detector.Sampling;
using Provenance.Ledger.Log;
using Provenance.Media.Fingerprints;

namespace Provenance.Detector.Scanning;

/// <summary>
/// Perceptual fingerprint lookup in the transparency ledger. The shared sampled frames (no second decode) are
/// fingerprinted as the generator fingerprints the clips it registers (<see cref="FrameFingerprint"/>) while they
/// decode. Registered clips are found with <see cref="LedgerReader.FindByFingerprintAsync"/> (multi-index Hamming
/// search, within <see cref="DiscoveryDistance"/> bits: one band value off per band, a cheap probe) for representative
/// frames only: a frame within <see cref="RepresentativeRadius"/> bits of one already asked about is not asked again (a
/// shot's frames hash alike), and the queries are rationed over the clip (at most <see cref="DefaultMaxQueries"/>, one
/// per stretch of the sample). Every compared frame is then measured against the fingerprints of the clips found, and
/// the matches within <see cref="MaxDistance"/> bits are gathered per asset: smallest distance and how many frames
/// matched. Nearly uniform frames are left out (they would match any clip's black frames).
/// </summary>
public sealed class FingerprintLookup(LedgerReader reader, int maxDistance = FingerprintLookup.DefaultMaxDistance,
    int maxQueries = FingerprintLookup.DefaultMaxQueries) : IFingerprintLookup
{
    /// <summary>Matches are within 10 of 64 bits: re-encoding, rescaling and mild edits stay under it; unrelated
    /// pictures differ in about 32.</summary>
    public const int DefaultMaxDistance = 10;

    /// <summary>Most ledger queries per clip (each probes the fingerprint index with every band value near the hash).</summary>
    public const int DefaultMaxQueries = 48;

    /// <summary>A registered clip is found when a queried frame is within this many bits of one of its fingerprints
    /// (the ledger probes one bit off per 16-bit band, 68 index keys, instead of 548 for 10 bits); its other frames then
    /// count up to <see cref="MaxDistance"/>.</summary>
    public const int DiscoveryDistance = 7;

    /// <summary>A frame this close to a frame already looked up is not looked up again.</summary>
    public const int RepresentativeRadius = 2;

    /// <summary>Most assets reported.</summary>
    public const int MaxMatches = 16;

    /// <summary>Queries in flight at once.</summary>
    private const int Parallelism = 4;

    public int MaxDistance { get; } = maxDistance is >= 0 and <= LedgerReader.MaxFingerprintDistance
        ? maxDistance : throw new ArgumentOutOfRangeException(nameof(maxDistance), $"0 to {LedgerReader.MaxFingerprintDistance} bits");

    /// <summary>
    /// Starts a lookup fed while frames decode: <see cref="StreamingLookup.Add"/> from the decoding loop (frames are hashed
    /// and looked up on background tasks), then <see cref="StreamingLookup.FinishAsync"/>. <paramref name="expectedFrames"/>
    /// spreads the queries over the whole clip.
    /// </summary>
    public StreamingLookup Begin(int expectedFrames, CancellationToken cancellationToken) =>
        new(reader, MaxDistance, Math.Max(1, (int)Math.Ceiling(Math.Max(1, expectedFrames) / (double)Math.Max(1, maxQueries))), maxQueries, cancellationToken);

    public async Task<FingerprintSection> LookupAsync(SampledVideo video, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(video);
        var lookup = Begin(video.Frames.Count, cancellationToken);
        foreach (var frame in video.Frames)
        {
            lookup.Add(frame);
        }
        return await lookup.FinishAsync().ConfigureAwait(false);
    }

    /// <summary>A fingerprint lookup that hashes frames and queries the ledger on background tasks as frames arrive.</summary>
    public sealed class StreamingLookup
    {
        private readonly Channel<SampledFrame> queue = Channel.CreateBounded<SampledFrame>(
            new BoundedChannelOptions(64) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        private readonly LedgerReader reader;
        private readonly int maxDistance;
        private readonly Task<FingerprintSection> worker;

        internal StreamingLookup(LedgerReader reader, int maxDistance, int stride, int maxQueries, CancellationToken cancellationToken)
        {
            this.reader = reader;
            this.maxDistance = maxDistance;
            worker = Task.Run(() => RunAsync(stride, maxQueries, cancellationToken), CancellationToken.None);
        }

        /// <summary>Queues a decoded frame (waits when 64 are pending). Once the lookup has ended (cancelled or failed) frames
        /// are dropped: <see cref="FinishAsync"/> reports why.</summary>
        public void Add(SampledFrame frame)
        {
            try
            {
                queue.Writer.WriteAsync(frame).AsTask().GetAwaiter().GetResult();
            }
            catch (ChannelClosedException)
            {
            }
        }

        /// <summary>Ends the input and returns the matches.</summary>
        public Task<FingerprintSection> FinishAsync()
        {
            queue.Writer.TryComplete();
            return worker;
        }

        private async Task<FingerprintSection> RunAsync(int stride, int maxQueries, CancellationToken ct)
        {
            var compared = new List<ulong>();
            var asked = new List<ulong>();
            var queries = new List<Task<IReadOnlyList<Provenance.Ledger.Log.FingerprintMatch>>>();
            using var slots = new SemaphoreSlim(Parallelism);
            var seen = 0;
            try
            {
                await foreach (var frame in queue.Reader.ReadAllAsync(ct).ConfigureAwait(false))
                {
                    var position = seen++;
                    if (FrameFingerprint.Compute(frame.Image) is not { } hash)
                    {
                        continue;
                    }
                    compared.Add(hash);
                    // Rationed: by the n-th stretch of `stride` frames at most n queries, so distinct frames late in the clip still get some.
                    if (asked.Count < Math.Min(maxQueries, position / stride + 1) && !asked.Any(a => PerceptualHash.Distance(a, hash) <= RepresentativeRadius))
                    {
                        asked.Add(hash);
                        queries.Add(QueryAsync(hash, slots, ct));
                    }
                }
                if (compared.Count == 0)
                {
                    return new FingerprintSection
                    {
                        Status = CheckStatus.Checked, MaxDistance = maxDistance,
                        Reason = "every sampled frame is nearly uniform: there is no picture to fingerprint",
                    };
                }
                var found = await Task.WhenAll(queries).ConfigureAwait(false);
                return new FingerprintSection
                {
                    Status = CheckStatus.Checked,
                    FramesCompared = compared.Count,
                    MaxDistance = maxDistance,
                    Matches = Aggregate(compared, found.SelectMany(f => f).Select(m => m.Entry), maxDistance),
                };
            }
            finally
            {
                // A writer waiting on a full queue must not wait for a reader that is gone.
                queue.Writer.TryComplete();
                // Queries still running when the scan fails or is cancelled end with it (they take the same token).
                await Task.WhenAll(queries.Select(q => q.ContinueWith(_ => { }, TaskScheduler.Default))).ConfigureAwait(false);
            }
        }

        private async Task<IReadOnlyList<Provenance.Ledger.Log.FingerprintMatch>> QueryAsync(ulong hash, SemaphoreSlim slots, CancellationToken ct)
        {
            await slots.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                return await reader.FindByFingerprintAsync(hash, Math.Min(maxDistance, DiscoveryDistance), ct).ConfigureAwait(false);
            }
            finally
            {
                slots.Release();
            }
        }
    }

    /// <summary>
    /// Per registered asset found: the smallest distance between a compared frame and the asset's fingerprints, the
    /// number of compared frames within the bound, its first ledger entry. Most matched frames first, then nearest.
    /// </summary>
    internal static List<Reports.FingerprintMatch> Aggregate(IReadOnlyList<ulong> compared, IEnumerable<LoggedEntry> candidates, int maxDistance)
    {
        var results = new List<(ulong Asset, int Distance, int Frames, LoggedEntry Entry)>();
        foreach (var asset in candidates.DistinctBy(c => c.Index).GroupBy(c => c.Entry.AssetId))
        {
            var fingerprints = asset.SelectMany(c => c.Entry.PerceptualFingerprints).Distinct().ToArray();
            int best = int.MaxValue, frames = 0;
            foreach (var hash in compared)
            {
                var d = fingerprints.Length == 0 ? int.MaxValue : fingerprints.Min(f => PerceptualHash.Distance(f, hash));
                best = Math.Min(best, d);
                frames += d <= maxDistance ? 1 : 0;
            }
            if (frames > 0)
            {
                results.Add((asset.Key, best, frames, asset.MinBy(c => c.Index)!));
            }
        }
        return results
            .OrderByDescending(a => a.Frames).ThenBy(a => a.Distance).ThenBy(a => a.Entry.Index)
            .Take(MaxMatches)
            .Select(a => new Reports.FingerprintMatch(LedgerEntry.FormatId(a.Asset), a.Distance, a.Frames)
            {
                LedgerIndex = a.Entry.Index,
                CreatedAt = a.Entry.IntegratedTime,
                Generator = a.Entry.Entry.GeneratorId,
            })
            .ToList();
    }
}
