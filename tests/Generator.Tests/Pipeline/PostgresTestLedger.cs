using Provenance.Generator.Pipeline;
using Provenance.Ledger.Log;
using Provenance.Ledger.Notes;
using Provenance.Testing.Postgres;

namespace Provenance.Generator.Tests.Pipeline;

/// <summary>
/// The real transparency log for pipeline tests: a PostgreSQL database of its own in the test cluster, opened on the
/// first append (tests that never append start no database), with checkpoint keys in a temp folder. Records what the
/// pipeline appended, and verifies receipts offline as a third party would.
/// </summary>
internal sealed class PostgresTestLedger : ILedgerAppender, IAsyncDisposable
{
    public const string Origin = "provenance.test/generator-log";
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<Provenance.Generator.Pipeline.LedgerEntry> _entries = [];
    private readonly string _keyDirectory = Directory.CreateTempSubdirectory("provenance-ledger-keys-").FullName;
    private TestDatabase? _database;
    private TransparencyLog? _log;

    public IReadOnlyList<Provenance.Generator.Pipeline.LedgerEntry> Entries
    {
        get
        {
            lock (_entries)
            {
                return _entries.ToList();
            }
        }
    }

    public CheckpointKeys Keys => CheckpointKeys.LoadOrCreate(_keyDirectory, Origin);

    public async Task<Provenance.Generator.Pipeline.LedgerReceipt> AppendAsync(Provenance.Generator.Pipeline.LedgerEntry entry, CancellationToken cancellationToken)
    {
        var log = await OpenAsync(cancellationToken);
        var receipt = await new TransparencyLogAppender(log, "generator-tests").AppendAsync(entry, cancellationToken);
        lock (_entries)
        {
            _entries.Add(entry);
        }
        return receipt;
    }

    /// <summary>Rows in the log's table: what a verifier would find, whatever this process recorded.</summary>
    public async Task<long> CountAsync()
    {
        if (_database is null)
        {
            return 0;
        }
        await using var cmd = _database.DataSource.CreateCommand("SELECT count(*) FROM ledger_entries");
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>Verifies a receipt's tlog-proof with the log's public keys only: returns the logged asset id.</summary>
    public string VerifyReceipt(string tlogProof)
    {
        var (entry, _) = Provenance.Ledger.Log.LedgerReceipt.Parse(tlogProof).Verify(Origin, Keys.Verifiers);
        return Provenance.Ledger.Log.LedgerEntry.FormatId(entry.Entry.AssetId);
    }

    private async Task<TransparencyLog> OpenAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (_log is null)
            {
                _database = await PostgresCluster.CreateDatabaseAsync(migrate: true, ct);
                var options = new LedgerOptions { Origin = Origin, KeyDirectory = _keyDirectory, CheckpointInterval = TimeSpan.FromMilliseconds(100) };
                _log = await TransparencyLog.OpenAsync(_database.DataSource, options, Keys, ct);
            }
            return _log;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_log is not null)
        {
            await _log.DisposeAsync();
        }
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
        Directory.Delete(_keyDirectory, recursive: true);
    }
}
