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

    public Task<IReadOnlyList<LoggedEntry>> FindByAssetIdAsync(ulong assetId, CancellationToken ct) =>
        FindByKeyAsync("asset_id", assetId, ct);

    public Task<IReadOnlyList<LoggedEntry>> FindByWatermarkPayloadAsync(ulong payload, CancellationToken ct) =>
        FindByKeyAsync("watermark_payload", payload, ct);

    private async Task<IReadOnlyList<LoggedEntry>> FindByKeyAsync(string column, ulong value, CancellationToken ct)
    {
        await using var command = DataSource.CreateCommand(
            $"SELECT e.idx, e.data FROM ledger_lookup l JOIN ledger_entries e ON e.idx = l.idx WHERE l.{column} = $1 ORDER BY e.idx LIMIT {MaxResults}");
        command.Parameters.Add(new NpgsqlParameter { Value = unchecked((long)value) });
        var found = new List<LoggedEntry>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false)) found.Add(Decode(reader.GetInt64(0), reader.GetFieldValue<byte[]>(1)));
        return found;
    }

    /// <summary>
    /// Entries with a perceptual fingerprint within <paramref name="maxDistance"/> bits of <paramref name="fingerprint"/>,
    /// nearest first. Multi-index hashing: a match within d bits agrees within ⌊d/4⌋ bits on at least one of the four
    /// 16-bit bands, so the GIN index on band keys is probed with every value that near, and candidates are verified.
    /// </summary>
    public async Task<IReadOnlyList<FingerprintMatch>> FindByFingerprintAsync(ulong fingerprint, int maxDistance, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxDistance);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxDistance, MaxFingerprintDistance);
        var keys = FingerprintBands.ProbeKeys(fingerprint, maxDistance / FingerprintBands.Count);
        await using var command = DataSource.CreateCommand(
            $"SELECT e.idx, e.data, l.fingerprints FROM ledger_lookup l JOIN ledger_entries e ON e.idx = l.idx WHERE l.fingerprint_bands && $1 LIMIT {MaxCandidates}");
        command.Parameters.Add(new NpgsqlParameter { Value = keys, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        var matches = new List<FingerprintMatch>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var distance = reader.GetFieldValue<long[]>(2).Min(f => BitOperations.PopCount(unchecked((ulong)f) ^ fingerprint));
            if (distance <= maxDistance) matches.Add(new FingerprintMatch(Decode(reader.GetInt64(0), reader.GetFieldValue<byte[]>(1)), distance));
        }
        return matches.OrderBy(m => m.Distance).ThenBy(m => m.Entry.Index).Take(MaxResults).ToList();
    }
}

/// <summary>Four 16-bit bands of a 64-bit fingerprint, keyed as (band &lt;&lt; 16 | value) for the GIN index.</summary>
public static class FingerprintBands
{
    public const int Count = 4;

    public static int[] KeysOf(IEnumerable<ulong> fingerprints) =>
        fingerprints.SelectMany(f => Enumerable.Range(0, Count).Select(b => Key(b, Band(f, b)))).Distinct().Order().ToArray();

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
