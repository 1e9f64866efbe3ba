using Provenance.Api.Hosting;
using Provenance.Ledger.Database;
using Provenance.Ledger.Log;
using Provenance.Ledger.Notes;

namespace Provenance.Api.Ledger;

/// <summary>
/// The ledger for this process, opened on first use over the ledger database: a <see cref="LedgerReader"/> for the
/// read API and lookups, and the single writing <see cref="TransparencyLog"/> (sequencer and checkpoint publisher)
/// for the stamping pipeline. Configuration: <c>Ledger:Origin</c>, <c>Ledger:KeyDirectory</c> (default
/// <c>DATA/ledger-keys</c>), <c>Ledger:CheckpointIntervalMs</c>, <c>Ledger:MaxBatchSize</c>, <c>Ledger:BatchLingerMs</c>,
/// <c>Ledger:QueueCapacity</c>,
/// <c>Ledger:LookupIndexChunkSize</c>, <c>Ledger:LookupIndexPollIntervalMs</c>, <c>Ledger:LookupIndexGatherDelayMs</c>.
/// </summary>
public sealed class LedgerProvider(DatabaseProvider database, IConfiguration configuration) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SemaphoreSlim _schemaGate = new(1, 1);
    private volatile bool _schemaChecked;
    private LedgerReader? _reader;
    private TransparencyLog? _log;

    public LedgerOptions Options { get; } = ReadOptions(configuration);

    /// <summary>The ledger options from the <c>Ledger</c> section; absent keys keep their defaults.</summary>
    /// <exception cref="InvalidOperationException">A numeric key is not an integer in its range (the message names the key).</exception>
    public static LedgerOptions ReadOptions(IConfiguration configuration)
    {
        var section = configuration.GetSection("Ledger");
        var options = new LedgerOptions
        {
            KeyDirectory = section["KeyDirectory"] ?? Path.Combine(configuration["Provenance:DataDirectory"] ?? ".data", "ledger-keys"),
        };
        if (section["Origin"] is { Length: > 0 } origin) options.Origin = origin;
        if (ReadInteger(section, "CheckpointIntervalMs", minimum: 1) is { } interval) options.CheckpointInterval = TimeSpan.FromMilliseconds(interval);
        if (ReadInteger(section, "MaxBatchSize", minimum: 1) is { } batch) options.MaxBatchSize = batch;
        // Zero: a batch is written as soon as its first entry arrives.
        if (ReadInteger(section, "BatchLingerMs", minimum: 0) is { } linger) options.BatchLinger = TimeSpan.FromMilliseconds(linger);
        if (ReadInteger(section, "QueueCapacity", minimum: 1) is { } capacity) options.QueueCapacity = capacity;
        if (ReadInteger(section, "LookupIndexChunkSize", minimum: 1) is { } chunk) options.LookupIndexChunkSize = chunk;
        if (ReadInteger(section, "LookupIndexPollIntervalMs", minimum: 1) is { } poll) options.LookupIndexPollInterval = TimeSpan.FromMilliseconds(poll);
        // Zero is meaningful here: the indexer then runs as soon as it is told of new entries.
        if (ReadInteger(section, "LookupIndexGatherDelayMs", minimum: 0) is { } gather) options.LookupIndexGatherDelay = TimeSpan.FromMilliseconds(gather);
        return options;
    }

    private static int? ReadInteger(IConfigurationSection section, string key, int minimum)
    {
        if (section[key] is not { Length: > 0 } text) return null;
        if (int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= minimum)
            return value;
        var expected = minimum == 1 ? "a positive integer" : $"an integer of at least {minimum}";
        throw new InvalidOperationException($"Configuration key {section.Path}:{key} must be {expected}, got \"{text}\".");
    }

    /// <summary>
    /// Brings the database's schema up to this build once per process when it is behind: a database that was never
    /// migrated (a fresh data folder, a new embedded cluster) gets the pending migrations of db/, through the same
    /// <see cref="Migrator"/> as <c>provenance db migrate</c> (one transaction per file, serialised by its advisory
    /// lock). When the schema is current this only reads <c>schema_migrations</c>; a schema with edited or unknown
    /// migrations is left alone (<c>provenance db status</c> says what is wrong).
    /// </summary>
    /// <exception cref="MigrationException">the migrations folder is missing or a migration failed.</exception>
    public async Task EnsureSchemaAsync(CancellationToken ct)
    {
        if (_schemaChecked) return;
        await _schemaGate.WaitAsync(ct);
        try
        {
            if (_schemaChecked) return;
            var db = await database.GetAsync(ct);
            var migrator = new Migrator(db.DataSource);
            var status = await migrator.GetStatusAsync(ct);
            if (status.Pending.Count > 0 && status.Changed.Count == 0 && status.Unknown.Count == 0)
                await migrator.MigrateAsync(ct);
            _schemaChecked = true;
        }
        finally
        {
            _schemaGate.Release();
        }
    }

    public async Task<LedgerReader> GetReaderAsync(CancellationToken ct)
    {
        if (_reader is { } reader) return reader;
        var db = await database.GetAsync(ct);
        return _reader ??= new LedgerReader(db.DataSource, Options.Origin);
    }

    /// <summary>The writer (one per log: run it in one process; a second one's stale batches are refused and retried).</summary>
    public async Task<TransparencyLog> GetLogAsync(CancellationToken ct)
    {
        if (_log is { } open) return open;
        await _gate.WaitAsync(ct);
        try
        {
            if (_log is null)
            {
                var db = await database.GetAsync(ct);
                var keys = CheckpointKeys.LoadOrCreate(Options.KeyDirectory!, Options.Origin);
                _log = await TransparencyLog.OpenAsync(db.DataSource, Options, keys, ct);
            }
            return _log;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The log's public verifier keys (C2SP vkeys), reading or creating the key folder.</summary>
    public IReadOnlyList<string> VerifierKeys() =>
        CheckpointKeys.LoadOrCreate(Options.KeyDirectory!, Options.Origin).Signers.Select(s => s.VerifierKey).ToList();

    public async ValueTask DisposeAsync()
    {
        var log = Interlocked.Exchange(ref _log, null);
        if (log is not null) await log.DisposeAsync();
    }
}

/// <summary>Registration of the ledger services.</summary>
public static class LedgerRegistration
{
    /// <summary>Adds <see cref="LedgerProvider"/> (needs the <see cref="DatabaseProvider"/> of AddProvenanceCore).</summary>
    public static IServiceCollection AddLedger(this IServiceCollection services)
    {
        services.AddSingleton<LedgerProvider>();
        services.AddSingleton<Provenance.Generator.Pipeline.ILedgerAppender, ServiceLedgerAppender>();
        return services;
    }
}
