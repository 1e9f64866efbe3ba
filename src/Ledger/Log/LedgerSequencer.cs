using System.Diagnostics;
using System.Threading.Channels;
using Npgsql;
using Provenance.Ledger.Merkle;

namespace Provenance.Ledger.Log;

/// <summary>
/// The single writer of the log. Appends queue in memory and are written in batches (up to
/// <see cref="LedgerOptions.MaxBatchSize"/> entries, lingering <see cref="LedgerOptions.BatchLinger"/> for more), one
/// transaction per batch: COPY the entries, move the tree state by compare-and-set against the head this sequencer
/// committed last (the row lock is the fence) together with the grown tiles, commit; only then acknowledge. While a
/// batch commits, the next one is already copied into its own transaction (its tree-state update waits on the row
/// lock), so the disk flush of one batch overlaps the writing of the next. Duplicates are rejected one by one. After
/// any error the batch fails (nothing acknowledged) and the state is reloaded from the database. Lookup rows are not
/// written here: <see cref="LedgerLookupIndexer"/> fills them after commit.
/// </summary>
public sealed partial class LedgerSequencer : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly LedgerOptions _options;
    private readonly Channel<PendingAppend> _queue;
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;
    private TiledTree? _tree;
    private volatile TreeHead _committed = new(0, MerkleHash.EmptyRoot());
    private long _batchesCommitted;

    private LedgerSequencer(NpgsqlDataSource dataSource, LedgerOptions options)
    {
        _dataSource = dataSource;
        _options = options;
        _queue = Channel.CreateBounded<PendingAppend>(new BoundedChannelOptions(options.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>The last committed tree head.</summary>
    public TreeHead Committed => _committed;

    /// <summary>Batches committed since this sequencer started (with <see cref="Committed"/>: the mean batch size).</summary>
    public long BatchesCommitted => Interlocked.Read(ref _batchesCommitted);

    /// <summary>Raised (on the sequencer's thread) after each committed batch.</summary>
    public event Action<TreeHead>? BatchCommitted;

    /// <summary>Raised (on the sequencer's thread) with the entries of each committed batch, in index order.</summary>
    public event Action<IReadOnlyList<(long Index, LedgerEntry Entry)>>? EntriesCommitted;

    /// <summary>Loads the tree state and starts the writing loop.</summary>
    /// <exception cref="LedgerIntegrityException">the stored tiles do not hash to the stored root.</exception>
    public static async Task<LedgerSequencer> StartAsync(NpgsqlDataSource dataSource, LedgerOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(options);
        var sequencer = new LedgerSequencer(dataSource, options);
        await sequencer.ReloadAsync(ct).ConfigureAwait(false);
        sequencer._loop = Task.Run(sequencer.RunAsync);
        return sequencer;
    }

    /// <summary>Appends an entry; completes once its batch has committed. Cancelling stops the wait, not the append.</summary>
    /// <exception cref="DuplicateEntryException">the manifest hash is already logged.</exception>
    /// <exception cref="SequencerFencedException">another sequencer advanced the log (this batch was refused).</exception>
    /// <exception cref="LedgerWriteException">the batch failed (connection lost, disk full, ...).</exception>
    public async Task<SequencedEntry> SequenceAsync(LedgerEntry entry, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(entry);
        entry.Validate();
        var pending = new PendingAppend(entry);
        await _queue.Writer.WriteAsync(pending, ct).ConfigureAwait(false);
        return await pending.Completion.Task.WaitAsync(ct).ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var ct = _stopping.Token;
        List<PendingAppend>? batch = null;
        BatchWrite? committing = null; // the previous batch, its COMMIT in flight
        Task? commit = null;
        try
        {
            while (true)
            {
                // Nothing waiting to overlap with the commit in flight: finish it (acknowledge) before waiting for more.
                if (committing is not null && !reader.TryPeek(out _))
                {
                    await FinishAsync(committing, commit!).ConfigureAwait(false);
                    committing = null;
                }
                if (!await reader.WaitToReadAsync(ct).ConfigureAwait(false)) break;
                batch = new List<PendingAppend>(Math.Min(_options.MaxBatchSize, 4096));
                while (batch.Count < _options.MaxBatchSize && reader.TryRead(out var item)) batch.Add(item);
                if (batch.Count == 0) continue;
                // The linger counts from the oldest entry's arrival: under a steady stream the next batch filled while
                // the previous one was written, and it goes at once.
                var linger = _options.BatchLinger - Stopwatch.GetElapsedTime(batch[0].Queued);
                if (batch.Count < _options.MaxBatchSize && linger > TimeSpan.Zero)
                {
                    await Task.Delay(linger, ct).ConfigureAwait(false);
                    while (batch.Count < _options.MaxBatchSize && reader.TryRead(out var item)) batch.Add(item);
                }

                var write = new BatchWrite(batch);
                var failure = await TryPrepareAsync(write, committing, ct).ConfigureAwait(false);
                if (committing is not null)
                {
                    var committed = await FinishAsync(committing, commit!).ConfigureAwait(false);
                    committing = null;
                    if (!committed)
                    {
                        // This batch was built on one that failed: start it again from the reloaded state.
                        await write.DisposeAsync().ConfigureAwait(false);
                        write = new BatchWrite(batch);
                        failure = await TryPrepareAsync(write, null, ct).ConfigureAwait(false);
                    }
                }
                if (failure is not null)
                {
                    await FailBatchAsync(write, failure).ConfigureAwait(false);
                }
                else if (write.Written.Count == 0)
                {
                    await write.DisposeAsync().ConfigureAwait(false);
                    Acknowledge(write); // only duplicates
                }
                else
                {
                    write.CommitStarted = true;
                    committing = write;
                    commit = CommitAsync(write, ct); // not awaited here: the next batch is copied meanwhile
                }
                batch = null;
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        finally
        {
            if (committing is not null) await FinishAsync(committing, commit!).ConfigureAwait(false);
            var stopped = new ObjectDisposedException(nameof(LedgerSequencer), "the ledger sequencer stopped");
            foreach (var pending in batch ?? []) pending.Completion.TrySetException(stopped);
            while (reader.TryRead(out var left)) left.Completion.TrySetException(stopped);
        }
    }

    private static async Task CommitAsync(BatchWrite write, CancellationToken ct) => await write.Transaction!.CommitAsync(ct).ConfigureAwait(false);

    /// <summary>Prepares the batch; returns the error instead of throwing it (the connection is closed then).</summary>
    private async Task<Exception?> TryPrepareAsync(BatchWrite write, BatchWrite? after, CancellationToken ct)
    {
        try
        {
            await PrepareAsync(write, after, ct).ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            await write.DisposeAsync().ConfigureAwait(false);
            return e;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        // Let queued appends finish, bounded; then stop.
        if (await Task.WhenAny(_loop, Task.Delay(TimeSpan.FromSeconds(10))).ConfigureAwait(false) != _loop)
            await _stopping.CancelAsync().ConfigureAwait(false);
        try { await _loop.ConfigureAwait(false); }
        catch (OperationCanceledException) { }
        _stopping.Dispose();
    }

    private sealed class PendingAppend(LedgerEntry entry)
    {
        public LedgerEntry Entry { get; } = entry;
        public long Queued { get; } = Stopwatch.GetTimestamp();
        public TaskCompletionSource<SequencedEntry> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
