using Npgsql;
using Xunit;

namespace Provenance.Testing.Postgres;

/// <summary>
/// xunit class fixture: each test class gets a fresh database with every migration of db/ applied, in the one
/// cluster of the test process. Use with <c>IClassFixture&lt;PostgresDatabase&gt;</c>.
/// </summary>
public sealed class PostgresDatabase : IAsyncLifetime
{
    private TestDatabase? _database;

    private TestDatabase Database => _database ?? throw new InvalidOperationException("the test database is not initialised yet");

    public string Name => Database.Name;
    public string ConnectionString => Database.ConnectionString;
    public NpgsqlDataSource DataSource => Database.DataSource;

    public async Task InitializeAsync() => _database = await PostgresCluster.CreateDatabaseAsync(migrate: true).ConfigureAwait(false);

    public async Task DisposeAsync()
    {
        if (_database is not null) await _database.DisposeAsync().ConfigureAwait(false);
    }
}
