using System.Net;
using System.Text.Json;
using Provenance.Api.Tests.Infrastructure;

namespace Provenance.Api.Tests.Service;

public sealed class HealthTests(ServiceFactory service) : IClassFixture<ServiceFactory>
{
    [Fact]
    public async Task Healthz_AnswersAlive()
    {
        var response = await service.CreateClient().GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("alive", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Readyz_OnAMigratedDatabase_ReportsReadyWithToolFacts()
    {
        var response = await service.CreateClient().GetAsync("/readyz");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        Assert.True(root.GetProperty("ready").GetBoolean());
        Assert.True(root.GetProperty("database").GetProperty("reachable").GetBoolean());
        Assert.True(root.GetProperty("database").GetProperty("migrationsApplied").GetBoolean());
        Assert.Contains("0050_service", root.GetProperty("database").GetProperty("appliedMigrations").EnumerateArray().Select(e => e.GetString()!).Aggregate("", string.Concat));
        Assert.False(string.IsNullOrEmpty(root.GetProperty("media").GetProperty("ffmpegVersion").GetString()));
        Assert.StartsWith("1.30", root.GetProperty("inference").GetProperty("onnxRuntimeVersion").GetString());
        Assert.Equal("CPUExecutionProvider", root.GetProperty("inference").GetProperty("executionProvider").GetString());
        Assert.Equal(File.Exists("/dev/nvidia0"), root.GetProperty("inference").GetProperty("gpuPresent").GetBoolean());
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheScanEndpoints()
    {
        var response = await service.CreateClient().GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var paths = json.RootElement.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/v1/scans", out _));
        Assert.True(paths.TryGetProperty("/readyz", out _));
    }

    [Fact]
    public async Task UnknownRoute_AnswersProblemDetails()
    {
        var response = await service.CreateClient().GetAsync("/v1/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}

/// <summary>A service whose database is not migrated must say so and refuse readiness.</summary>
public sealed class UnmigratedReadinessTests : IAsyncLifetime
{
    private Provenance.Testing.Postgres.TestDatabase? _db;

    public async Task InitializeAsync() => _db = await Provenance.Testing.Postgres.PostgresCluster.CreateDatabaseAsync(migrate: false);

    public async Task DisposeAsync()
    {
        if (_db is not null)
        {
            await _db.DisposeAsync();
        }
    }

    [Fact]
    public async Task Readyz_BeforeMigrations_Answers503WithPendingMigrations()
    {
        await using var factory = new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program>()
            .WithWebHostBuilder(b => b.UseSetting("ConnectionStrings:Ledger", _db!.ConnectionString));
        var response = await factory.CreateClient().GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.False(json.RootElement.GetProperty("ready").GetBoolean());
        Assert.NotEmpty(json.RootElement.GetProperty("database").GetProperty("pendingMigrations").EnumerateArray());
        Assert.Contains(json.RootElement.GetProperty("problems").EnumerateArray(), p => p.GetString()!.Contains("db migrate"));
    }
}
