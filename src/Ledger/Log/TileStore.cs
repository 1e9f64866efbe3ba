using System.Collections.Concurrent;
using Npgsql;
using NpgsqlTypes;

namespace Provenance.Ledger.Log;

/// <summary>Reads tiles from PostgreSQL; full tiles never change, so they are kept in a bounded in-memory cache.</summary>
public sealed class TileStore(NpgsqlDataSource dataSource, int maxCachedTiles = 8192)
{
    private readonly ConcurrentDictionary<(int Level, long Index), byte[]> _fullTiles = new();

    public async Task<IReadOnlyDictionary<(int Level, long Index), byte[]>> FetchAsync(IReadOnlyCollection<(int Level, long Index)> tiles, CancellationToken ct)
    {
        var found = new Dictionary<(int Level, long Index), byte[]>(tiles.Count);
        var missing = new List<(int Level, long Index)>();
        foreach (var tile in tiles)
        {
            if (_fullTiles.TryGetValue(tile, out var cached)) found[tile] = cached;
            else missing.Add(tile);
        }
        if (missing.Count == 0) return found;
        await using var command = dataSource.CreateCommand(
            "SELECT t.level, t.idx, t.hashes FROM ledger_tiles t JOIN unnest($1::smallint[], $2::bigint[]) AS w(level, idx) ON t.level = w.level AND t.idx = w.idx");
        command.Parameters.Add(new NpgsqlParameter { Value = missing.Select(m => (short)m.Level).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint });
        command.Parameters.Add(new NpgsqlParameter { Value = missing.Select(m => m.Index).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var key = ((int)reader.GetInt16(0), reader.GetInt64(1));
            var hashes = reader.GetFieldValue<byte[]>(2);
            found[key] = hashes;
            if (hashes.Length == Merkle.Tile.FullBytes)
            {
                if (_fullTiles.Count >= maxCachedTiles) _fullTiles.Clear();
                _fullTiles[key] = hashes;
            }
        }
        return found;
    }
}
