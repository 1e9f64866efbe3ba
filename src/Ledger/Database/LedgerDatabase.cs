using Npgsql;

namespace Provenance.Ledger.Database;

/// <summary>
/// The ledger's PostgreSQL: the configured server, or (with no connection string) an embedded cluster in the
/// data folder that this object starts and, on dispose, stops.
/// </summary>
public sealed class LedgerDatabase : IAsyncDisposable
{
    private readonly EmbeddedPostgres? _embedded;

    private LedgerDatabase(NpgsqlDataSource dataSource, EmbeddedPostgres? embedded)
    {
        DataSource = dataSource;
        _embedded = embedded;
    }

    public NpgsqlDataSource DataSource { get; }

    /// <summary>True when this process started (or joined) an embedded cluster.</summary>
    public bool IsEmbedded => _embedded is not null;

    /// <summary>The embedded cluster, when there is one.</summary>
    public EmbeddedPostgres? Embedded => _embedded;

    /// <exception cref="EmbeddedPostgresException">the embedded cluster could not start.</exception>
    /// <exception cref="ArgumentException">the configured connection string is malformed.</exception>
    public static async Task<LedgerDatabase> OpenAsync(DatabaseOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
            return new LedgerDatabase(NpgsqlDataSource.Create(options.ConnectionString), null);
        var embedded = await EmbeddedPostgres.StartAsync(options.DataDirectory, options.Embedded, ct).ConfigureAwait(false);
        return new LedgerDatabase(NpgsqlDataSource.Create(embedded.ConnectionString), embedded);
    }

    /// <summary>Where the database is, for logs and status output (never the password).</summary>
    public string Describe()
    {
        var builder = new NpgsqlConnectionStringBuilder(DataSource.ConnectionString);
        var where = builder.Host is { } host && host.StartsWith('/')
            ? $"unix socket {host}, port {builder.Port}"
            : $"{builder.Host}:{builder.Port}";
        var what = _embedded is null ? "PostgreSQL" : $"embedded PostgreSQL in {_embedded.DataDirectory}";
        return $"{what} ({where}), database {builder.Database}, user {builder.Username}";
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync().ConfigureAwait(false);
        if (_embedded is not null) await _embedded.DisposeAsync().ConfigureAwait(false);
    }
}
