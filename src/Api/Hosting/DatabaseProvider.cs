using Provenance.Ledger.Database;

namespace Provenance.Api.Hosting;

/// <summary>
/// Opens the ledger database once per process: the configured PostgreSQL (<c>ConnectionStrings:Ledger</c>), or
/// else the embedded cluster in the data folder, started with the host and stopped with it.
/// </summary>
public sealed class DatabaseProvider(IConfiguration configuration, ILogger<DatabaseProvider> logger) : IHostedService, IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private LedgerDatabase? _database;
    private Exception? _lastError;

    /// <summary>Why the database could not be opened, if it could not.</summary>
    public string? LastError => _lastError?.Message;

    public static DatabaseOptions ReadOptions(IConfiguration configuration) => new()
    {
        ConnectionString = configuration.GetConnectionString("Ledger"),
        DataDirectory = Path.Combine(configuration["Provenance:DataDirectory"] ?? ".data", "pg"),
    };

    public async Task<LedgerDatabase> GetAsync(CancellationToken ct)
    {
        if (_database is { } open)
        {
            return open;
        }
        await _gate.WaitAsync(ct);
        try
        {
            if (_database is null)
            {
                try
                {
                    _database = await LedgerDatabase.OpenAsync(ReadOptions(configuration), ct);
                    _lastError = null;
                    logger.LogInformation("Ledger database ready: {Database}", _database.Describe());
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    _lastError = e;
                    throw;
                }
            }
            return _database;
        }
        finally
        {
            _gate.Release();
        }
    }

    async Task IHostedService.StartAsync(CancellationToken ct)
    {
        try
        {
            await GetAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The service still starts: /readyz reports the database as unreachable with this reason.
            logger.LogError("Ledger database unavailable: {Reason}", e.Message);
        }
    }

    async Task IHostedService.StopAsync(CancellationToken ct) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        var db = Interlocked.Exchange(ref _database, null);
        if (db is not null)
        {
            await db.DisposeAsync();
        }
    }
}
