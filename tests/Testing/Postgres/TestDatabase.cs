using Npgsql;
using Provenance.Ledger.Database;

namespace Provenance.Testing.Postgres;

/// <summary>A database of its own in the shared test cluster; dropped on dispose.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly EmbeddedPostgres _cluster;

    internal TestDatabase(EmbeddedPostgres cluster, string name, string connectionString)
    {
        _cluster = cluster;
        Name = name;
        ConnectionString = connectionString;
        DataSource = NpgsqlDataSource.Create(connectionString);
    }

    public string Name { get; }
    public string ConnectionString { get; }
    public NpgsqlDataSource DataSource { get; }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync().ConfigureAwait(false);
        await using var admin = new NpgsqlConnection(_cluster.AdminConnectionString);
        await admin.OpenAsync().ConfigureAwait(false);
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync().ConfigureAwait(false);
    }
}
