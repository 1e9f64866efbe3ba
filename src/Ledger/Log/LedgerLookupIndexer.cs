using Npgsql;
using NpgsqlTypes;

namespace Provenance.Ledger.Log;

/// <summary>
/// Fills the lookup table (<c>ledger_lookup</c>: asset id, watermark payload, fingerprint bands) from committed log
/// entries, off the append path: the sequencer acknowledges as soon as the entries are durable, and this indexer
/// follows behind. Its high-water mark (<c>ledger_lookup_progress.next_idx</c>) moves in the same transaction as the
/// rows it covers, under a row lock, so a pass is atomic, a crashed pass leaves nothing behind, and any number of
/// indexers (in any processes) never index an entry twice. Lookups stay complete while it lags: the reader also
/// scans the entries past the mark (<see cref="LedgerReader"/> lookups).
/// </summary>
public sealed class LedgerLookupIndexer : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly int _chunkSize;
    private readonly TimeSpan _pollInterval;
    private readonly TimeSpan _gatherDelay;
    private readonly OfferedEntries _offered;
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _wake = new(0, 1);
    private Task _loop = Task.CompletedTask;
    private long _indexed;

    private LedgerLookupIndexer(NpgsqlDataSource dataSource, int chunkSize, TimeSpan pollInterval, TimeSpan gatherDelay)
    {
        _dataSource = dataSource;
        _chunkSize = chunkSize;
        _pollInterval = pollInterval;
        _gatherDelay = gatherDelay;
        _offered = new OfferedEntries(4 * chunkSize);
    }

    /// <summary>Entries indexed so far (the high-water mark this indexer last saw or wrote).</summary>
    public long IndexedSize => Interlocked.Read(ref _indexed);

    /// <summary>The last indexing error, if the most recent pass failed (cleared on success; the pass is retried).</summary>
    public Exception? LastError { get; private set; }

    /// <summary>Starts the background loop: it indexes whatever is pending now, then again
    /// <paramref name="gatherDelay"/> after each <see cref="Notify"/> (so that a pass covers several batches), and at
    /// least every <paramref name="pollInterval"/> (entries written by another process).</summary>
    public static LedgerLookupIndexer Start(NpgsqlDataSource dataSource, int chunkSize, TimeSpan pollInterval, TimeSpan gatherDelay)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        var indexer = new LedgerLookupIndexer(dataSource, chunkSize, pollInterval, gatherDelay);
        indexer._loop = Task.Run(indexer.RunAsync);
        return indexer;
    }

    /// <summary>These entries were committed (by this process's sequencer): index them soon, from memory when they
    /// are next in line (otherwise the pass reads the log).</summary>
    public void Offer(IReadOnlyList<(long Index, LedgerEntry Entry)> committed)
    {
        _offered.Add(committed);
        Notify();
    }

    /// <summary>New entries were committed: index them soon.</summary>
    public void Notify()
    {
        try { _wake.Release(); }
        catch (SemaphoreFullException) { } // already signalled
        catch (ObjectDisposedException) { }
    }

    /// <summary>Indexes every entry committed so far, pass after pass; returns the high-water mark reached.</summary>
    public static async Task<long> CatchUpAsync(NpgsqlDataSource dataSource, int chunkSize, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        while (true)
        {
            var (mark, indexed) = await IndexOnePassAsync(dataSource, chunkSize, null, ct).ConfigureAwait(false);
            if (indexed < chunkSize) return mark;
        }
    }

    private async Task RunAsync()
    {
        var ct = _stopping.Token;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                try
                {
                    long indexed;
                    do
                    {
                        (var mark, indexed) = await IndexOnePassAsync(_dataSource, _chunkSize, _offered, ct).ConfigureAwait(false);
                        Interlocked.Exchange(ref _indexed, mark);
                    }
                    while (indexed == _chunkSize);
                    LastError = null;
                    if (await _wake.WaitAsync(_pollInterval, ct).ConfigureAwait(false) && _gatherDelay > TimeSpan.Zero)
                        await Task.Delay(_gatherDelay, ct).ConfigureAwait(false);
                }
                catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException or LedgerEntryFormatException or LedgerIntegrityException)
                {
                    LastError = e;
                    await Task.Delay(TimeSpan.FromSeconds(1), ct).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// One transaction: lock the high-water mark, take up to <paramref name="chunkSize"/> committed entries past it
    /// (offered in memory by this process's sequencer, else read from the log),
    /// COPY their lookup rows, move the mark. Commits without waiting for the disk: the rows are derived data, and
    /// a crash that loses this commit loses the mark with the rows, so the next pass redoes them.
    /// </summary>
    private static async Task<(long Mark, int Indexed)> IndexOnePassAsync(NpgsqlDataSource dataSource, int chunkSize, OfferedEntries? offered,
        CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, ct).ConfigureAwait(false);
        await using (var relaxed = new NpgsqlCommand("SET LOCAL synchronous_commit = off", connection, transaction))
            await relaxed.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        long mark;
        await using (var progress = new NpgsqlCommand("SELECT next_idx FROM ledger_lookup_progress FOR UPDATE", connection, transaction))
            mark = await progress.ExecuteScalarAsync(ct).ConfigureAwait(false) is long value
                ? value : throw new LedgerIntegrityException("the lookup progress row is missing (migrations not applied?)");

        // Entries commit in index order (one sequencer, fenced), so what is visible past the mark is contiguous.
        var rows = offered?.Take(mark, chunkSize) ?? [];
        if (rows.Count == 0) rows = await ReadRowsAsync(connection, transaction, mark, chunkSize, ct).ConfigureAwait(false);
        if (rows.Count == 0)
        {
            await transaction.CommitAsync(ct).ConfigureAwait(false);
            return (mark, 0);
        }
        await WriteLookupRowsAsync(connection, rows, ct).ConfigureAwait(false);
        await using (var advance = new NpgsqlCommand("UPDATE ledger_lookup_progress SET next_idx = $1", connection, transaction))
        {
            advance.Parameters.Add(new NpgsqlParameter { Value = mark + rows.Count });
            await advance.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        await transaction.CommitAsync(ct).ConfigureAwait(false);
        return (mark + rows.Count, rows.Count);
    }

    private static async Task<List<LookupRow>> ReadRowsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long mark, int chunkSize,
        CancellationToken ct)
    {
        var rows = new List<LookupRow>(Math.Min(chunkSize, 65_536));
        await using var read = new NpgsqlCommand("SELECT idx, data FROM ledger_entries WHERE idx >= $1 ORDER BY idx LIMIT $2", connection, transaction);
        read.Parameters.Add(new NpgsqlParameter { Value = mark });
        read.Parameters.Add(new NpgsqlParameter { Value = (long)chunkSize });
        await using var reader = await read.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var index = reader.GetInt64(0);
            if (index != mark + rows.Count) break;
            rows.Add(LookupRow.Of(index, reader.GetFieldValue<byte[]>(1)));
        }
        return rows;
    }

    /// <summary>COPY of lookup rows (binary); the caller's transaction also moves the high-water mark over them.</summary>
    internal static async Task WriteLookupRowsAsync(NpgsqlConnection connection, IEnumerable<LookupRow> rows, CancellationToken ct)
    {
        await using var copy = await connection.BeginBinaryImportAsync(
            "COPY ledger_lookup (idx, asset_id, watermark_payload, fingerprints, fingerprint_bands) FROM STDIN (FORMAT BINARY)", ct).ConfigureAwait(false);
        foreach (var row in rows)
        {
            // Synchronous writes fill the importer's buffer (a flush may block briefly): far cheaper per field than awaits.
            copy.StartRow();
            copy.Write(row.Index, NpgsqlDbType.Bigint);
            copy.Write(unchecked((long)row.AssetId), NpgsqlDbType.Bigint);
            copy.Write(unchecked((long)row.WatermarkPayload), NpgsqlDbType.Bigint);
            copy.Write(row.Fingerprints, NpgsqlDbType.Array | NpgsqlDbType.Bigint);
            copy.Write(row.BandKeys, NpgsqlDbType.Array | NpgsqlDbType.Integer);
        }
        await copy.CompleteAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Stops the loop (a pass in progress is rolled back; the next indexer redoes it).</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stopping.Dispose();
        _wake.Dispose();
    }
}

/// <summary>Entries this process committed, kept for the indexer in index order (bounded: beyond it, passes read the log).</summary>
internal sealed class OfferedEntries(int capacity)
{
    private readonly Queue<(long Index, LedgerEntry Entry)> _queue = new();

    public void Add(IReadOnlyList<(long Index, LedgerEntry Entry)> committed)
    {
        lock (_queue)
        {
            if (_queue.Count + committed.Count > capacity) _queue.Clear();
            foreach (var entry in committed) _queue.Enqueue(entry);
        }
    }

    /// <summary>Up to <paramref name="max"/> rows from index <paramref name="mark"/> on, or none when the next ones
    /// are not here (indexed by someone else already, or never offered).</summary>
    public List<LookupRow> Take(long mark, int max)
    {
        var rows = new List<LookupRow>();
        lock (_queue)
        {
            while (_queue.TryPeek(out var next) && next.Index < mark) _queue.Dequeue();
            while (rows.Count < max && _queue.TryPeek(out var next) && next.Index == mark + rows.Count)
                rows.Add(LookupRow.Of(_queue.Dequeue().Index, next.Entry));
        }
        return rows;
    }
}

/// <summary>What the lookup table holds for one entry.</summary>
internal sealed record LookupRow(long Index, ulong AssetId, ulong WatermarkPayload, long[] Fingerprints, int[] BandKeys)
{
    public static LookupRow Of(long index, LedgerEntry entry) => new(index, entry.AssetId, entry.WatermarkPayload,
        entry.PerceptualFingerprints.Select(f => unchecked((long)f)).ToArray(), FingerprintBands.KeysOf(entry.PerceptualFingerprints));

    /// <summary>From the stored leaf bytes (checked by the codec).</summary>
    public static LookupRow Of(long index, byte[] data) => Of(index, LedgerEntryCodec.Decode(data).Entry);
}
