using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Provenance.Api.Auth;
using Provenance.Testing.Postgres;

namespace Provenance.Api.Tests.Infrastructure;

/// <summary>
/// The real service in-process (TestServer) over a real PostgreSQL database of its own and a temp data folder.
/// Settings can be overridden per test class through <see cref="Settings"/> before first use.
/// </summary>
public class ServiceFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    private TestDatabase? _database;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "provenance-api-" + Guid.NewGuid().ToString("N"));

    public Dictionary<string, string?> Settings { get; } = new()
    {
        ["Provenance:RateLimit:PermitsPerMinute"] = "6000",
        ["Provenance:RateLimit:Burst"] = "1000",
    };

    public TestDatabase Database => _database ?? throw new InvalidOperationException("not initialised");

    public async Task InitializeAsync()
    {
        _database = await PostgresCluster.CreateDatabaseAsync(migrate: true);
        Directory.CreateDirectory(DataDirectory);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:Ledger", Database.ConnectionString);
        builder.UseSetting("Provenance:DataDirectory", DataDirectory);
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>A client that sends a fresh key with the given scopes.</summary>
    public async Task<HttpClient> ClientWithKeyAsync(params string[] scopes)
    {
        var client = CreateClient();
        var key = await CreateKeyAsync(scopes);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public async Task<string> CreateKeyAsync(params string[] scopes)
    {
        var store = Services.GetRequiredService<ApiKeyStore>();
        var (_, secret) = await store.CreateAsync("test", scopes, "test", CancellationToken.None);
        return secret.ToString();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
