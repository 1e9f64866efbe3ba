using Npgsql;
using NpgsqlTypes;
using Provenance.Ledger.Merkle;

namespace Provenance.Ledger.Log;

/// <summary>The statements of a batch: COPY of entries, the fenced tree-state move with the grown tiles, duplicates.</summary>
public sealed partial class LedgerSequencer
{
    /// <summary>
    /// One round trip: move the tree state from the size and root this sequencer committed last to the grown tree
    /// (compare-and-set on the row, which also locks it until commit: the fence), and write the grown tiles.
    /// </summary>
    private static async Task AdvanceTreeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, TreeHead expected, TiledTree grown, byte[] root,
        CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        // Lock first: an UPDATE's WHERE would be judged on the row as this statement's snapshot saw it, before the
        // COMMIT in flight of the previous batch; after the lock wait the UPDATE below sees the newest row.
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT 1 FROM ledger_tree_state FOR UPDATE"));
        var state = new NpgsqlBatchCommand(
            "UPDATE ledger_tree_state SET tree_size = $1, root_hash = $2, updated_at = now() WHERE tree_size = $3 AND root_hash = $4");
        state.Parameters.Add(new NpgsqlParameter { Value = grown.Size });
        state.Parameters.Add(new NpgsqlParameter { Value = root });
        state.Parameters.Add(new NpgsqlParameter { Value = expected.Size });
        state.Parameters.Add(new NpgsqlParameter { Value = expected.RootHash });
        batch.BatchCommands.Add(state);
        var tiles = grown.TakeChangedTiles();
        if (tiles.Count > 0) batch.BatchCommands.Add(TilesCommand(tiles));
        await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        if (state.RecordsAffected != 1)
            throw new SequencerFencedException(
                $"the log is no longer at size {expected.Size}: another sequencer wrote it; this batch is refused");
    }

    private static async Task RejectLoggedDuplicatesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<PendingAppend> accepted, CancellationToken ct)
    {
        if (accepted.Count == 0) return;
        await using var command = new NpgsqlCommand("SELECT idx, manifest_hash FROM ledger_entries WHERE manifest_hash = ANY($1)", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = accepted.Select(a => a.Entry.ManifestHash).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        var logged = new Dictionary<byte[], long>(ByteContentComparer.Instance);
        await using (var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
                logged[reader.GetFieldValue<byte[]>(1)] = reader.GetInt64(0);
        if (logged.Count == 0) return;
        accepted.RemoveAll(pending =>
        {
            if (!logged.TryGetValue(pending.Entry.ManifestHash, out var index)) return false;
            pending.Completion.TrySetException(new DuplicateEntryException(index, $"manifest already logged at index {index}"));
            return true;
        });
    }

    private static async Task CopyEntriesAsync(NpgsqlConnection connection, List<(PendingAppend Pending, SequencedEntry Entry)> written, CancellationToken ct)
    {
        await using (var entries = await connection.BeginBinaryImportAsync("COPY ledger_entries (idx, manifest_hash, data) FROM STDIN (FORMAT BINARY)", ct).ConfigureAwait(false))
        {
            // Synchronous writes fill the importer's buffer (a flush may block briefly): far cheaper per field than awaits.
            foreach (var (pending, entry) in written)
            {
                entries.StartRow();
                entries.Write(entry.Index, NpgsqlDbType.Bigint);
                entries.Write(pending.Entry.ManifestHash, NpgsqlDbType.Bytea);
                entries.Write(entry.Data, NpgsqlDbType.Bytea);
            }
            await entries.CompleteAsync(ct).ConfigureAwait(false);
        }
            }

    internal static async Task WriteTilesAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, IReadOnlyList<Tile> tiles, CancellationToken ct)
    {
        if (tiles.Count == 0) return;
        await using var batch = new NpgsqlBatch(connection, transaction) { BatchCommands = { TilesCommand(tiles) } };
        await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private static NpgsqlBatchCommand TilesCommand(IReadOnlyList<Tile> tiles)
    {
        var command = new NpgsqlBatchCommand(
            "INSERT INTO ledger_tiles (level, idx, hashes) SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[]) " +
            "ON CONFLICT (level, idx) DO UPDATE SET hashes = EXCLUDED.hashes WHERE length(EXCLUDED.hashes) > length(ledger_tiles.hashes)");
        command.Parameters.Add(new NpgsqlParameter { Value = tiles.Select(t => (short)t.Level).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint });
        command.Parameters.Add(new NpgsqlParameter { Value = tiles.Select(t => t.Index).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter { Value = tiles.Select(t => t.Hashes).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        return command;
    }
}

/// <summary>Byte arrays compared by content (manifest hashes as dictionary keys).</summary>
internal sealed class ByteContentComparer : IEqualityComparer<byte[]>
{
    public static readonly ByteContentComparer Instance = new();

    public bool Equals(byte[]? x, byte[]? y) => ReferenceEquals(x, y) || (x is not null && y is not null && x.AsSpan().SequenceEqual(y));

    public int GetHashCode(byte[] bytes)
    {
        var hash = new HashCode();
        hash.AddBytes(bytes);
        return hash.ToHashCode();
    }
}
