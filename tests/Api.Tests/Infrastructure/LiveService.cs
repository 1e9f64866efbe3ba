using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Provenance.Api.Auth;
using Provenance.Api.Hosting;
using Provenance.Testing.Postgres;

namespace Provenance.Api.Tests.Infrastructure;

/// <summary>
/// The real service on a loopback port (Kestrel), over a database of its own: what a browser or a second process
/// talks to. Disposed at the end of the test class.
/// </summary>
public class LiveService : IAsyncLifetime
{
    private TestDatabase? _database;
    private WebApplication? _app;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "provenance-live-" + Guid.NewGuid().ToString("N"));

    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Extra settings (key → value), applied at start.</summary>
    public Dictionary<string, string> Settings { get; } = new();

    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        _database = await PostgresCluster.CreateDatabaseAsync(migrate: true);
        Directory.CreateDirectory(DataDirectory);
        _app = ProvenanceHost.Build(
            [
                $"--ConnectionStrings:Ledger={_database.ConnectionString}",
                $"--Provenance:DataDirectory={DataDirectory}",
                .. Settings.Select(kv => $"--{kv.Key}={kv.Value}"),
            ],
            "http://127.0.0.1:0");
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");
    }

    public async Task<string> CreateKeyAsync(params string[] scopes)
    {
        var (_, secret) = await Services.GetRequiredService<ApiKeyStore>().CreateAsync("live test", scopes, "test", CancellationToken.None);
        return secret.ToString();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
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
