using System.Data;
using Npgsql;
using NpgsqlTypes;
using Provenance.Ledger.Merkle;

namespace Provenance.Ledger.Log;

/// <summary>Writing one batch: prepare (everything up to COMMIT), commit, then acknowledge or fail.</summary>
public sealed partial class LedgerSequencer
{
    /// <summary>A batch on its way into the log: its entries, and its open transaction once prepared.</summary>
    private sealed class BatchWrite(List<PendingAppend> batch) : IAsyncDisposable
    {
        public List<PendingAppend> Batch { get; } = batch;
        public List<PendingAppend> Accepted { get; } = new(batch.Count);
        public List<(PendingAppend Duplicate, PendingAppend First)> SameBatchDuplicates { get; } = [];
        public List<(PendingAppend Pending, SequencedEntry Entry)> Written { get; } = new(batch.Count);
        public TiledTree? Grown { get; set; }
        public TreeHead? Head { get; set; }
        public NpgsqlConnection? Connection { get; set; }
        public NpgsqlTransaction? Transaction { get; set; }
        public bool CommitStarted { get; set; }

        public async ValueTask DisposeAsync()
        {
            if (Transaction is not null) await Transaction.DisposeAsync().ConfigureAwait(false);
            if (Connection is not null) await Connection.DisposeAsync().ConfigureAwait(false);
            Transaction = null;
            Connection = null;
        }
    }

    /// <summary>
    /// Opens a transaction and writes the batch into it up to the COMMIT: COPY of the entries, then the tree state moved
    /// from <paramref name="after"/>'s head (or the committed one) by compare-and-set, with the grown tiles. Building
    /// on a batch whose COMMIT is still in flight is what pipelines the log: the COPY overlaps that commit, and the
    /// tree-state update waits for it on the row lock.
    /// </summary>
    private async Task PrepareAsync(BatchWrite write, BatchWrite? after, CancellationToken ct)
    {
        var firstByManifest = new Dictionary<byte[], PendingAppend>(ByteContentComparer.Instance);
        foreach (var pending in write.Batch)
        {
            if (firstByManifest.TryGetValue(pending.Entry.ManifestHash, out var first)) write.SameBatchDuplicates.Add((pending, first));
            else { firstByManifest[pending.Entry.ManifestHash] = pending; write.Accepted.Add(pending); }
        }
        if (after is null && _tree is null) await ReloadAsync(ct).ConfigureAwait(false);
        var baseTree = after?.Grown ?? _tree!;
        var baseHead = after?.Head ?? _committed;
        write.Connection = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        var integratedTime = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        // Resubmitted manifests are rare: the unique index on the manifest hash finds them during the COPY, and only
        // then is the batch redone with a lookup that rejects them one by one (the rest of the batch is logged).
        var checkDuplicates = false;
        while (true)
        {
            write.Written.Clear();
            write.Grown = null;
            write.Transaction = await write.Connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct).ConfigureAwait(false);
            if (checkDuplicates) await RejectLoggedDuplicatesAsync(write.Connection, write.Transaction, write.Accepted, ct).ConfigureAwait(false);
            if (write.Accepted.Count == 0) return;
            var grown = baseTree.Clone();
            foreach (var pending in write.Accepted)
            {
                var data = LedgerEntryCodec.Encode(pending.Entry, integratedTime);
                var leaf = MerkleHash.Leaf(data);
                write.Written.Add((pending, new SequencedEntry(grown.Size, leaf, integratedTime, data)));
                grown.Append(leaf);
            }
            write.Grown = grown;
            try
            {
                await CopyEntriesAsync(write.Connection, write.Written, ct).ConfigureAwait(false);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == "ledger_entries_pkey")
            {
                throw new SequencerFencedException(
                    $"index {write.Written[0].Entry.Index} is already taken: another sequencer wrote the log; this batch is refused");
            }
            catch (PostgresException e) when (!checkDuplicates && e.SqlState == PostgresErrorCodes.UniqueViolation
                                              && e.ConstraintName == "ledger_entries_manifest_hash")
            {
                await write.Transaction.DisposeAsync().ConfigureAwait(false);
                checkDuplicates = true;
                continue;
            }
            var root = grown.Root();
            await AdvanceTreeAsync(write.Connection, write.Transaction, baseHead, grown, root, ct).ConfigureAwait(false);
            write.Head = new TreeHead(grown.Size, root);
            return;
        }
    }

    /// <summary>Waits for the batch's COMMIT; acknowledges it, or fails it. True when it committed.</summary>
    private async Task<bool> FinishAsync(BatchWrite write, Task commit)
    {
        try
        {
            await commit.ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            await write.DisposeAsync().ConfigureAwait(false);
            return await FailBatchAsync(write, e).ConfigureAwait(false);
        }
        await write.DisposeAsync().ConfigureAwait(false);
        _tree = write.Grown;
        _committed = write.Head!;
        Acknowledge(write);
        return true;
    }

    private void Acknowledge(BatchWrite write)
    {
        foreach (var (pending, entry) in write.Written) pending.Completion.TrySetResult(entry);
        CompleteSameBatchDuplicates(write);
        if (write.Written.Count == 0) return;
        Interlocked.Increment(ref _batchesCommitted);
        BatchCommitted?.Invoke(_committed);
        EntriesCommitted?.Invoke(write.Written.Select(w => (w.Entry.Index, w.Pending.Entry)).ToList());
    }

    /// <summary>
    /// Nothing of a failed batch is acknowledged unless the database shows it committed (a COMMIT whose reply was lost).
    /// The state is reloaded either way. True when the batch turned out to be committed.
    /// </summary>
    private async Task<bool> FailBatchAsync(BatchWrite write, Exception error)
    {
        await write.DisposeAsync().ConfigureAwait(false);
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
        if (write.CommitStarted && reloaded && write.Head is { } head && _committed.Size == head.Size
            && _committed.RootHash.AsSpan().SequenceEqual(head.RootHash))
        {
            // The commit did reach the database: acknowledge.
            Acknowledge(write);
            return true;
        }
        Exception failure = error switch
        {
            SequencerFencedException fenced => fenced,
            LedgerIntegrityException integrity => integrity,
            _ => new LedgerWriteException(write.CommitStarted
                    ? $"the ledger lost its database connection while committing; the entries may be logged (retry: duplicates report their index): {error.Message}"
                    : $"the ledger could not write this batch; nothing was logged: {error.Message}",
                error, write.CommitStarted && !reloaded),
        };
        foreach (var pending in write.Accepted) pending.Completion.TrySetException(failure);
        foreach (var (duplicate, _) in write.SameBatchDuplicates) duplicate.Completion.TrySetException(failure);
        return false;
    }

    private static void CompleteSameBatchDuplicates(BatchWrite write)
    {
        foreach (var (duplicate, first) in write.SameBatchDuplicates)
        {
            var index = write.Written.FirstOrDefault(w => w.Pending == first).Entry?.Index;
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
