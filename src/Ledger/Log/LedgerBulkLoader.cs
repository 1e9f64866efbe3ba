using Npgsql;
using NpgsqlTypes;
using Provenance.Ledger.Merkle;

namespace Provenance.Ledger.Log;

/// <summary>
/// Appends many entries without the sequencer's queue: one transaction per chunk (tree state locked and checked,
/// COPY of entries and their lookup rows, tiles, tree state, lookup high-water mark). For imports and for building large logs to measure; it must
/// not run while a sequencer writes the same log (the fencing check refuses it if one did).
/// </summary>
public static class LedgerBulkLoader
{
    public static async Task<TreeHead> LoadAsync(NpgsqlDataSource dataSource, IEnumerable<LedgerEntry> entries, DateTimeOffset integratedTime,
        int chunkSize, IProgress<long>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        var reader = new LedgerReader(dataSource, "bulk");
        var head = await reader.GetTreeHeadAsync(ct).ConfigureAwait(false);
        if (head.Size != 0) throw new InvalidOperationException("the bulk loader fills an empty log only");
        var tree = new TiledTree();
        var chunk = new List<(long Index, LedgerEntry Entry, byte[] Data)>(chunkSize);
        foreach (var entry in entries)
        {
            var data = LedgerEntryCodec.Encode(entry, integratedTime);
            chunk.Add((tree.Size, entry, data));
            tree.Append(MerkleHash.Leaf(data));
            if (chunk.Count == chunkSize)
            {
                head = await WriteChunkAsync(dataSource, chunk, tree, head, ct).ConfigureAwait(false);
                progress?.Report(tree.Size);
            }
        }
        if (chunk.Count > 0) head = await WriteChunkAsync(dataSource, chunk, tree, head, ct).ConfigureAwait(false);
        progress?.Report(tree.Size);
        return head;
    }

    private static async Task<TreeHead> WriteChunkAsync(NpgsqlDataSource dataSource, List<(long Index, LedgerEntry Entry, byte[] Data)> chunk,
        TiledTree tree, TreeHead previous, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        await using (var state = new NpgsqlCommand("SELECT tree_size, root_hash FROM ledger_tree_state FOR UPDATE", connection, transaction))
        await using (var row = await state.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            if (!await row.ReadAsync(ct).ConfigureAwait(false) || row.GetInt64(0) != previous.Size || !row.GetFieldValue<byte[]>(1).AsSpan().SequenceEqual(previous.RootHash))
                throw new SequencerFencedException("the log changed while the bulk loader was writing it");
        }
        using (var copy = await connection.BeginBinaryImportAsync("COPY ledger_entries (idx, manifest_hash, data) FROM STDIN (FORMAT BINARY)", ct).ConfigureAwait(false))
        {
            foreach (var (index, entry, data) in chunk)
            {
                copy.StartRow();
                copy.Write(index, NpgsqlDbType.Bigint);
                copy.Write(entry.ManifestHash, NpgsqlDbType.Bytea);
                copy.Write(data, NpgsqlDbType.Bytea);
            }
            await copy.CompleteAsync(ct).ConfigureAwait(false);
        }
        await LedgerLookupIndexer.WriteLookupRowsAsync(connection, chunk.Select(c => LookupRow.Of(c.Index, c.Entry)), ct).ConfigureAwait(false);
        await LedgerSequencer.WriteTilesAsync(connection, transaction, tree.TakeChangedTiles(), ct).ConfigureAwait(false);
        var head = new TreeHead(tree.Size, tree.Root());
        await using (var update = new NpgsqlCommand("UPDATE ledger_tree_state SET tree_size = $1, root_hash = $2, updated_at = now()", connection, transaction))
        {
            update.Parameters.Add(new NpgsqlParameter { Value = head.Size });
            update.Parameters.Add(new NpgsqlParameter { Value = head.RootHash });
            await update.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        await using (var indexed = new NpgsqlCommand("UPDATE ledger_lookup_progress SET next_idx = $1", connection, transaction))
        {
            indexed.Parameters.Add(new NpgsqlParameter { Value = head.Size });
            await indexed.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        await transaction.CommitAsync(ct).ConfigureAwait(false);
        chunk.Clear();
        return head;
    }
}
