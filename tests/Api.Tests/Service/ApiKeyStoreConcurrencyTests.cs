using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Provenance.Api.Audit;
using Provenance.Api.Auth;
using Provenance.Api.Hosting;
using Provenance.Testing.Postgres;

namespace Provenance.Api.Tests.Service;

/// <summary>
/// The key store shares its connection pool with the service's pollers (job claims, callback dispatch, retention):
/// it must be done with a pooled connection once it gives it back. Here the pool holds two connections that two other
/// tasks keep taking over, so a result reader (Npgsql reuses one per connection) that the store touched again after
/// giving its connection back would land in the middle of another task's command: the store then waits forever, as
/// API key creation did in the service tests about one full run in eight.
/// </summary>
public sealed class ApiKeyStoreConcurrencyTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private TestDatabase? _database;
    private DatabaseProvider? _provider;

    public async Task InitializeAsync()
    {
        _database = await PostgresCluster.CreateDatabaseAsync(migrate: true);
        var twoConnections = new NpgsqlConnectionStringBuilder(_database.ConnectionString) { MaxPoolSize = 2, Timeout = 30 }.ConnectionString;
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Ledger"] = twoConnections })
            .Build();
        _provider = new DatabaseProvider(configuration, NullLogger<DatabaseProvider>.Instance);
    }

    public async Task DisposeAsync()
    {
        if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [Fact]
    public async Task CreatingKeys_WhileAnotherTaskUsesTheSamePooledConnection_NeitherFailsNorStalls()
    {
        var provider = _provider!;
        var store = new ApiKeyStore(provider, new AuditLog(provider));
        var dataSource = (await provider.GetAsync(CancellationToken.None)).DataSource;
        using var stop = new CancellationTokenSource();
        var otherQueries = 0;
        // What the service's pollers do between the store's statements: short queries on the same pool. Two of them
        // keep both pooled connections busy, so each connection the store gives back is taken over at once.
        async Task QueryUntilStoppedAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                await using var cmd = dataSource.CreateCommand("SELECT count(*) FROM api_keys, pg_sleep(0.005)");
                await using var reader = await cmd.ExecuteReaderAsync(CancellationToken.None);
                while (await reader.ReadAsync(CancellationToken.None))
                {
                }
                Interlocked.Increment(ref otherQueries);
            }
        }
        var others = new[] { Task.Run(QueryUntilStoppedAsync), Task.Run(QueryUntilStoppedAsync) };

        var created = new List<string>();
        var work = Task.Run(async () =>
        {
            for (var i = 0; i < 40; i++)
            {
                var (key, _) = await store.CreateAsync($"concurrent {i}", [ApiKeyScopes.Scan], "test", CancellationToken.None);
                created.Add(key.KeyId);
            }
        });
        try
        {
            // A stale reader or connection shows up as "A command is already in progress", or as a wait that never ends.
            await work.WaitAsync(Bound);
        }
        finally
        {
            await stop.CancelAsync();
        }
        await Task.WhenAll(others).WaitAsync(Bound);

        Assert.Equal(40, created.Distinct().Count());
        Assert.True(otherQueries > 0, "the other tasks never got a pooled connection");
        var listed = await store.ListAsync(CancellationToken.None);
        Assert.Equal(created.Order(), listed.Select(k => k.KeyId).Order());
        var audited = await new AuditLog(provider).ReadAsync(1000, CancellationToken.None);
        Assert.Equal(40, audited.Count(e => e.Action == "apikey.create"));
    }
}
