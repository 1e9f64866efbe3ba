using System.Buffers.Binary;
using System.Numerics;
using Npgsql;
using NpgsqlTypes;

namespace Provenance.Ledger.Log;

/// <summary>An entry found by a perceptual fingerprint, with the smallest Hamming distance among its fingerprints.</summary>
public sealed record FingerprintMatch(LoggedEntry Entry, int Distance);

public sealed partial class LedgerReader
{
    /// <summary>Largest Hamming distance a fingerprint lookup accepts (four 16-bit bands, at most 3 bits off per band).</summary>
    public const int MaxFingerprintDistance = 15;
    private const int MaxCandidates = 10_000;
    private const int MaxResults = 100;

    public async Task<LoggedEntry?> FindByManifestHashAsync(byte[] manifestHash, CancellationToken ct)
    {
        if (manifestHash is not { Length: 32 }) return null;
        await using var command = DataSource.CreateCommand("SELECT idx, data FROM ledger_entries WHERE manifest_hash = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = manifestHash });
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await reader.ReadAsync(ct).ConfigureAwait(false) ? Decode(reader.GetInt64(0), reader.GetFieldValue<byte[]>(1)) : null;
    }

    // Lookups read the lookup table up to the indexer's high-water mark and, in the same statement (one snapshot),
    // the log entries past it: an entry is found as soon as its append is acknowledged, however far the indexer lags.
    private const string UnindexedTail = "e.idx >= (SELECT next_idx FROM ledger_lookup_progress)";

    public Task<IReadOnlyList<LoggedEntry>> FindByAssetIdAsync(ulong assetId, CancellationToken ct) =>
        FindByKeyAsync("asset_id", LedgerEntryCodec.AssetIdOffset, assetId, ct);

    public Task<IReadOnlyList<LoggedEntry>> FindByWatermarkPayloadAsync(ulong payload, CancellationToken ct) =>
        FindByKeyAsync("watermark_payload", LedgerEntryCodec.WatermarkPayloadOffset, payload, ct);

    private async Task<IReadOnlyList<LoggedEntry>> FindByKeyAsync(string column, int entryOffset, ulong value, CancellationToken ct)
    {
        await using var command = DataSource.CreateCommand(
            $"(SELECT e.idx, e.data FROM ledger_lookup l JOIN ledger_entries e ON e.idx = l.idx WHERE l.{column} = $1 ORDER BY l.idx LIMIT {MaxResults}) " +
            $"UNION ALL (SELECT e.idx, e.data FROM ledger_entries e WHERE {UnindexedTail} AND substring(e.data FROM {entryOffset + 1} FOR 8) = $2 " +
            $"ORDER BY e.idx LIMIT {MaxResults}) ORDER BY 1 LIMIT {MaxResults}");
        command.Parameters.Add(new NpgsqlParameter { Value = unchecked((long)value) });
        var bigEndian = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bigEndian, value);
        command.Parameters.Add(new NpgsqlParameter { Value = bigEndian });
        var found = new List<LoggedEntry>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false)) found.Add(Decode(reader.GetInt64(0), reader.GetFieldValue<byte[]>(1)));
        return found;
    }

    /// <summary>
    /// Entries with a perceptual fingerprint within <paramref name="maxDistance"/> bits of <paramref name="fingerprint"/>,
    /// nearest first. Multi-index hashing: a match within d bits agrees within ⌊d/4⌋ bits on at least one of the four
    /// 16-bit bands, so the GIN index on band keys is probed with every value that near, and candidates are verified.
    /// Entries the indexer has not reached yet are read and compared directly.
    /// </summary>
    public async Task<IReadOnlyList<FingerprintMatch>> FindByFingerprintAsync(ulong fingerprint, int maxDistance, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxDistance);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxDistance, MaxFingerprintDistance);
        var keys = FingerprintBands.ProbeKeys(fingerprint, maxDistance / FingerprintBands.Count);
        await using var command = DataSource.CreateCommand(
            $"(SELECT e.idx, e.data FROM ledger_lookup l JOIN ledger_entries e ON e.idx = l.idx WHERE l.fingerprint_bands && $1 LIMIT {MaxCandidates}) " +
            $"UNION ALL (SELECT e.idx, e.data FROM ledger_entries e WHERE {UnindexedTail})");
        command.Parameters.Add(new NpgsqlParameter { Value = keys, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        var matches = new List<FingerprintMatch>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var entry = Decode(reader.GetInt64(0), reader.GetFieldValue<byte[]>(1));
            if (entry.Entry.PerceptualFingerprints.Count == 0) continue;
            var distance = entry.Entry.PerceptualFingerprints.Min(f => BitOperations.PopCount(f ^ fingerprint));
            if (distance <= maxDistance) matches.Add(new FingerprintMatch(entry, distance));
        }
        return matches.OrderBy(m => m.Distance).ThenBy(m => m.Entry.Index).Take(MaxResults).ToList();
    }
}

/// <summary>Four 16-bit bands of a 64-bit fingerprint, keyed as (band &lt;&lt; 16 | value) for the GIN index.</summary>
public static class FingerprintBands
{
    public const int Count = 4;

    public static int[] KeysOf(IReadOnlyList<ulong> fingerprints)
    {
        ArgumentNullException.ThrowIfNull(fingerprints);
        var keys = new int[fingerprints.Count * Count];
        for (var i = 0; i < fingerprints.Count; i++)
            for (var band = 0; band < Count; band++) keys[i * Count + band] = Key(band, Band(fingerprints[i], band));
        if (fingerprints.Count <= 1) return keys; // one fingerprint: four distinct bands, already in order
        Array.Sort(keys);
        var distinct = 0;
        foreach (var key in keys) if (distinct == 0 || keys[distinct - 1] != key) keys[distinct++] = key;
        return keys[..distinct];
    }

    private static int Band(ulong fingerprint, int band) => (int)((fingerprint >> (48 - 16 * band)) & 0xFFFF);
    private static int Key(int band, int value) => (band << 16) | value;

    /// <summary>Every band key within <paramref name="radius"/> bits of the fingerprint's bands.</summary>
    public static int[] ProbeKeys(ulong fingerprint, int radius)
    {
        var keys = new List<int>();
        for (var band = 0; band < Count; band++)
        {
            var value = Band(fingerprint, band);
            AddNeighbours(band, value, 0, radius, keys);
        }
        return keys.Distinct().ToArray();
    }

    private static void AddNeighbours(int band, int value, int fromBit, int radius, List<int> keys)
    {
        keys.Add(Key(band, value));
        if (radius == 0) return;
        for (var bit = fromBit; bit < 16; bit++) AddNeighbours(band, value ^ (1 << bit), bit + 1, radius - 1, keys);
    }
}
