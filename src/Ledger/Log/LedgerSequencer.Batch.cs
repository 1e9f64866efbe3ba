using System.Data;
using Npgsql;
using NpgsqlTypes;
using Provenance.Ledger.Merkle;

namespace Provenance.Ledger.Log;

public sealed partial class LedgerSequencer
{
    private async Task WriteBatchAsync(List<PendingAppend> batch, CancellationToken ct)
    {
        var accepted = new List<PendingAppend>(batch.Count);
        var firstByManifest = new Dictionary<string, PendingAppend>(StringComparer.Ordinal);
        var sameBatchDuplicates = new List<(PendingAppend Duplicate, PendingAppend First)>();
        foreach (var pending in batch)
        {
            var key = Convert.ToHexString(pending.Entry.ManifestHash);
            if (firstByManifest.TryGetValue(key, out var first)) sameBatchDuplicates.Add((pending, first));
            else { firstByManifest[key] = pending; accepted.Add(pending); }
        }

        var commitStarted = false;
        TiledTree? grown = null;
        var written = new List<(PendingAppend Pending, SequencedEntry Entry)>(accepted.Count);
        try
        {
            if (_tree is null) await ReloadAsync(ct).ConfigureAwait(false);
            await using var connection = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct).ConfigureAwait(false);
            await CheckFenceAsync(connection, transaction, ct).ConfigureAwait(false);
            await RejectLoggedDuplicatesAsync(connection, transaction, accepted, ct).ConfigureAwait(false);
            if (accepted.Count > 0)
            {
                grown = _tree!.Clone();
                var integratedTime = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                foreach (var pending in accepted)
                {
                    var data = LedgerEntryCodec.Encode(pending.Entry, integratedTime);
                    var leaf = MerkleHash.Leaf(data);
                    written.Add((pending, new SequencedEntry(grown.Size, leaf, integratedTime, data)));
                    grown.Append(leaf);
                }
                await CopyEntriesAsync(connection, written, ct).ConfigureAwait(false);
                await WriteTilesAsync(connection, transaction, grown.TakeChangedTiles(), ct).ConfigureAwait(false);
                var root = grown.Root();
                await using (var state = new NpgsqlCommand("UPDATE ledger_tree_state SET tree_size = $1, root_hash = $2, updated_at = now()", connection, transaction))
                {
                    state.Parameters.Add(new NpgsqlParameter { Value = grown.Size });
                    state.Parameters.Add(new NpgsqlParameter { Value = root });
                    await state.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }
                commitStarted = true;
                await transaction.CommitAsync(ct).ConfigureAwait(false);
                _tree = grown;
                _committed = new TreeHead(grown.Size, root);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Whatever went wrong, nothing of this batch is acknowledged unless the database shows it committed.
            await FailBatchAsync(written, accepted, sameBatchDuplicates, grown, commitStarted, e).ConfigureAwait(false);
            return;
        }

        foreach (var (pending, entry) in written) pending.Completion.TrySetResult(entry);
        CompleteSameBatchDuplicates(sameBatchDuplicates, written);
        if (written.Count > 0) BatchCommitted?.Invoke(_committed);
    }

    private async Task CheckFenceAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT tree_size, root_hash FROM ledger_tree_state FOR UPDATE", connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await reader.ReadAsync(ct).ConfigureAwait(false)) throw new LedgerIntegrityException("the tree state row is missing");
        var size = reader.GetInt64(0);
        var root = reader.GetFieldValue<byte[]>(1);
        var expected = _committed;
        if (size != expected.Size || !root.AsSpan().SequenceEqual(expected.RootHash))
            throw new SequencerFencedException(
                $"the log is at size {size} but this sequencer expected {expected.Size}: another sequencer wrote it; this batch is refused");
    }

    private static async Task RejectLoggedDuplicatesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<PendingAppend> accepted, CancellationToken ct)
    {
        if (accepted.Count == 0) return;
        await using var command = new NpgsqlCommand("SELECT idx, manifest_hash FROM ledger_entries WHERE manifest_hash = ANY($1)", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = accepted.Select(a => a.Entry.ManifestHash).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        var logged = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
                logged[Convert.ToHexString(reader.GetFieldValue<byte[]>(1))] = reader.GetInt64(0);
        if (logged.Count == 0) return;
        accepted.RemoveAll(pending =>
        {
            if (!logged.TryGetValue(Convert.ToHexString(pending.Entry.ManifestHash), out var index)) return false;
            pending.Completion.TrySetException(new DuplicateEntryException(index, $"manifest already logged at index {index}"));
            return true;
        });
    }

    private static async Task CopyEntriesAsync(NpgsqlConnection connection, List<(PendingAppend Pending, SequencedEntry Entry)> written, CancellationToken ct)
    {
        await using (var entries = await connection.BeginBinaryImportAsync("COPY ledger_entries (idx, manifest_hash, data) FROM STDIN (FORMAT BINARY)", ct).ConfigureAwait(false))
        {
            foreach (var (pending, entry) in written)
            {
                await entries.StartRowAsync(ct).ConfigureAwait(false);
                await entries.WriteAsync(entry.Index, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
                await entries.WriteAsync(pending.Entry.ManifestHash, NpgsqlDbType.Bytea, ct).ConfigureAwait(false);
                await entries.WriteAsync(entry.Data, NpgsqlDbType.Bytea, ct).ConfigureAwait(false);
            }
            await entries.CompleteAsync(ct).ConfigureAwait(false);
        }
        await using var lookup = await connection.BeginBinaryImportAsync(
            "COPY ledger_lookup (idx, asset_id, watermark_payload, fingerprints, fingerprint_bands) FROM STDIN (FORMAT BINARY)", ct).ConfigureAwait(false);
        foreach (var (pending, entry) in written)
        {
            var e = pending.Entry;
            await lookup.StartRowAsync(ct).ConfigureAwait(false);
            await lookup.WriteAsync(entry.Index, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
            await lookup.WriteAsync(unchecked((long)e.AssetId), NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
            await lookup.WriteAsync(unchecked((long)e.WatermarkPayload), NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
            await lookup.WriteAsync(e.PerceptualFingerprints.Select(f => unchecked((long)f)).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
            await lookup.WriteAsync(FingerprintBands.KeysOf(e.PerceptualFingerprints), NpgsqlDbType.Array | NpgsqlDbType.Integer, ct).ConfigureAwait(false);
        }
        await lookup.CompleteAsync(ct).ConfigureAwait(false);
    }

    internal static async Task WriteTilesAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, IReadOnlyList<Tile> tiles, CancellationToken ct)
    {
        if (tiles.Count == 0) return;
        await using var command = new NpgsqlCommand(
            "INSERT INTO ledger_tiles (level, idx, hashes) SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[]) " +
            "ON CONFLICT (level, idx) DO UPDATE SET hashes = EXCLUDED.hashes WHERE length(EXCLUDED.hashes) > length(ledger_tiles.hashes)",
            connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = tiles.Select(t => (short)t.Level).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint });
        command.Parameters.Add(new NpgsqlParameter { Value = tiles.Select(t => t.Index).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter { Value = tiles.Select(t => t.Hashes).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private async Task FailBatchAsync(List<(PendingAppend Pending, SequencedEntry Entry)> written, List<PendingAppend> accepted,
        List<(PendingAppend Duplicate, PendingAppend First)> sameBatchDuplicates, TiledTree? grown, bool commitStarted, Exception error)
    {
        _tree = null;
        // Reload now (the next batch retries if this fails); it also settles a COMMIT whose outcome the connection lost.
        var reloaded = false;
        try
        {
            using var reloadTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await ReloadAsync(reloadTimeout.Token).ConfigureAwait(false);
            reloaded = true;
        }
        catch (Exception e) when (e is NpgsqlException or LedgerIntegrityException or OperationCanceledException or IOException or TimeoutException)
        {
        }
        if (commitStarted && reloaded && grown is not null && _committed.Size == grown.Size
            && _committed.RootHash.AsSpan().SequenceEqual(grown.Root()))
        {
            // The commit did reach the database: acknowledge.
            foreach (var (pending, entry) in written) pending.Completion.TrySetResult(entry);
            CompleteSameBatchDuplicates(sameBatchDuplicates, written);
            BatchCommitted?.Invoke(_committed);
            return;
        }
        Exception failure = error switch
        {
            SequencerFencedException fenced => fenced,
            LedgerIntegrityException integrity => integrity,
            _ => new LedgerWriteException(commitStarted
                    ? $"the ledger lost its database connection while committing; the entries may be logged (retry: duplicates report their index): {error.Message}"
                    : $"the ledger could not write this batch; nothing was logged: {error.Message}",
                error, commitStarted && !reloaded),
        };
        foreach (var pending in accepted) pending.Completion.TrySetException(failure);
        foreach (var (duplicate, _) in sameBatchDuplicates) duplicate.Completion.TrySetException(failure);
    }

    private static void CompleteSameBatchDuplicates(List<(PendingAppend Duplicate, PendingAppend First)> duplicates, List<(PendingAppend Pending, SequencedEntry Entry)> written)
    {
        foreach (var (duplicate, first) in duplicates)
        {
            var index = written.FirstOrDefault(w => w.Pending == first).Entry?.Index;
            duplicate.Completion.TrySetException(new DuplicateEntryException(index, index is null
                ? "manifest submitted twice in one batch"
                : $"manifest already logged at index {index}"));
        }
    }

    /// <summary>Reads the committed tree state and the partial tiles of its right edge, and checks they agree.</summary>
    private async Task ReloadAsync(CancellationToken ct)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct).ConfigureAwait(false);
        long size;
        byte[] root;
        await using (var state = new NpgsqlCommand("SELECT tree_size, root_hash FROM ledger_tree_state", connection, transaction))
        await using (var reader = await state.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(ct).ConfigureAwait(false)) throw new LedgerIntegrityException("the tree state row is missing (migrations not applied?)");
            size = reader.GetInt64(0);
            root = reader.GetFieldValue<byte[]>(1);
        }
        var wanted = Enumerable.Range(0, 8).Where(level => (size >> (8 * level)) % Tile.Width != 0)
            .Select(level => (Level: level, Index: (size >> (8 * level)) / Tile.Width)).ToList();
        var partials = new Dictionary<int, byte[]>();
        if (wanted.Count > 0)
        {
            await using var tiles = new NpgsqlCommand(
                "SELECT t.level, t.hashes FROM ledger_tiles t JOIN unnest($1::smallint[], $2::bigint[]) AS w(level, idx) ON t.level = w.level AND t.idx = w.idx",
                connection, transaction);
            tiles.Parameters.Add(new NpgsqlParameter { Value = wanted.Select(w => (short)w.Level).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint });
            tiles.Parameters.Add(new NpgsqlParameter { Value = wanted.Select(w => w.Index).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
            await using var reader = await tiles.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false)) partials[reader.GetInt16(0)] = reader.GetFieldValue<byte[]>(1);
        }
        await transaction.CommitAsync(ct).ConfigureAwait(false);
        TiledTree tree;
        try { tree = TiledTree.Restore(size, partials); }
        catch (MerkleProofException e) { throw new LedgerIntegrityException($"cannot rebuild the tree at size {size}: {e.Message}"); }
        if (!tree.Root().AsSpan().SequenceEqual(root))
            throw new LedgerIntegrityException($"the stored tiles do not hash to the stored root at size {size}");
        _tree = tree;
        _committed = new TreeHead(size, root);
    }
}
