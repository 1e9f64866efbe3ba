using Npgsql;
using Provenance.Ledger.Notes;

namespace Provenance.Ledger.Log;

/// <summary>
/// Signs the committed tree head as a C2SP checkpoint (every signer: Ed25519 and ECDSA P-256) and stores it, about
/// once per <see cref="LedgerOptions.CheckpointInterval"/> while the tree grows. Waiters for a tree size wake when a
/// checkpoint covering it is published.
/// </summary>
public sealed class CheckpointPublisher : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _origin;
    private readonly IReadOnlyList<NoteSigner> _signers;
    private readonly Func<TreeHead> _head;
    private readonly TimeSpan _interval;
    private readonly CancellationTokenSource _stopping = new();
    private readonly object _gate = new();
    private TaskCompletionSource _published = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _loop = Task.CompletedTask;
    private volatile SignedCheckpoint? _latest;

    private CheckpointPublisher(NpgsqlDataSource dataSource, string origin, IReadOnlyList<NoteSigner> signers, Func<TreeHead> head, TimeSpan interval)
    {
        _dataSource = dataSource;
        _origin = origin;
        _signers = signers;
        _head = head;
        _interval = interval;
    }

    public SignedCheckpoint? Latest => _latest;

    /// <summary>The last publishing error, if the most recent attempt failed (cleared on success).</summary>
    public Exception? LastError { get; private set; }

    public static async Task<CheckpointPublisher> StartAsync(NpgsqlDataSource dataSource, string origin, IReadOnlyList<NoteSigner> signers,
        Func<TreeHead> head, TimeSpan interval, CancellationToken ct)
    {
        var publisher = new CheckpointPublisher(dataSource, origin, signers, head, interval);
        await publisher.LoadLatestAsync(ct).ConfigureAwait(false);
        await publisher.PublishIfGrownAsync(ct).ConfigureAwait(false);
        publisher._loop = Task.Run(publisher.RunAsync);
        return publisher;
    }

    /// <summary>Waits until a published checkpoint covers at least <paramref name="treeSize"/> leaves.</summary>
    public async Task<SignedCheckpoint> WaitForSizeAsync(long treeSize, CancellationToken ct)
    {
        while (true)
        {
            Task next;
            lock (_gate) next = _published.Task;
            if (_latest is { } latest && latest.Checkpoint.Size >= treeSize) return latest;
            await next.WaitAsync(ct).ConfigureAwait(false);
        }
    }

    private async Task RunAsync()
    {
        try
        {
            using var timer = new PeriodicTimer(_interval);
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
            {
                try
                {
                    await PublishIfGrownAsync(_stopping.Token).ConfigureAwait(false);
                    LastError = null;
                }
                catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException)
                {
                    LastError = e; // retried on the next tick
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }

    private async Task PublishIfGrownAsync(CancellationToken ct)
    {
        var head = _head();
        if (_latest is { } latest && latest.Checkpoint.Size >= head.Size) return;
        var checkpoint = new Checkpoint(_origin, head.Size, head.RootHash);
        var note = SignedNote.Sign(checkpoint.ToNoteText(), _signers).ToString();
        await using (var command = _dataSource.CreateCommand(
            "INSERT INTO ledger_checkpoints (tree_size, root_hash, note) VALUES ($1, $2, $3) ON CONFLICT (tree_size) DO NOTHING"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = head.Size });
            command.Parameters.Add(new NpgsqlParameter { Value = head.RootHash });
            command.Parameters.Add(new NpgsqlParameter { Value = note });
            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        // A checkpoint of this size may already exist (published before a restart): serve the stored one.
        await using (var stored = _dataSource.CreateCommand("SELECT note FROM ledger_checkpoints WHERE tree_size = $1"))
        {
            stored.Parameters.Add(new NpgsqlParameter { Value = head.Size });
            note = (string)(await stored.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
        }
        Announce(new SignedCheckpoint(Checkpoint.ParseText(SignedNote.Parse(note).Text), note));
    }

    private async Task LoadLatestAsync(CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand("SELECT note FROM ledger_checkpoints ORDER BY tree_size DESC LIMIT 1");
        if (await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is string note)
            Announce(new SignedCheckpoint(Checkpoint.ParseText(SignedNote.Parse(note).Text), note));
    }

    private void Announce(SignedCheckpoint checkpoint)
    {
        TaskCompletionSource done;
        lock (_gate)
        {
            _latest = checkpoint;
            done = _published;
            _published = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        done.TrySetResult();
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stopping.Dispose();
        // A last checkpoint for what was committed since the last tick (best effort).
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await PublishIfGrownAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException or OperationCanceledException)
        {
            LastError = e;
        }
    }
}
