using System.Threading.Channels;
using Npgsql;
using Provenance.Ledger.Merkle;

namespace Provenance.Ledger.Log;

/// <summary>
/// The single writer of the log. Appends queue in memory and are written in batches (up to
/// <see cref="LedgerOptions.MaxBatchSize"/> entries, lingering <see cref="LedgerOptions.BatchLinger"/> for more), one
/// transaction per batch: lock the tree-state row and check it against memory (fencing), drop duplicates one by one,
/// COPY entries and lookups, write the grown tiles, move the tree state, commit; only then acknowledge. After any
/// error the batch fails (nothing acknowledged) and the state is reloaded from the database.
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

    /// <summary>Raised (on the sequencer's thread) after each committed batch.</summary>
    public event Action<TreeHead>? BatchCommitted;

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
        var batch = new List<PendingAppend>(_options.MaxBatchSize);
        try
        {
            while (await reader.WaitToReadAsync(_stopping.Token).ConfigureAwait(false))
            {
                batch.Clear();
                while (batch.Count < _options.MaxBatchSize && reader.TryRead(out var item)) batch.Add(item);
                if (batch.Count < _options.MaxBatchSize && _options.BatchLinger > TimeSpan.Zero)
                {
                    await Task.Delay(_options.BatchLinger, _stopping.Token).ConfigureAwait(false);
                    while (batch.Count < _options.MaxBatchSize && reader.TryRead(out var item)) batch.Add(item);
                }
                await WriteBatchAsync(batch, _stopping.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        finally
        {
            var stopped = new ObjectDisposedException(nameof(LedgerSequencer), "the ledger sequencer stopped");
            foreach (var pending in batch) pending.Completion.TrySetException(stopped);
            while (reader.TryRead(out var left)) left.Completion.TrySetException(stopped);
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
        public TaskCompletionSource<SequencedEntry> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
