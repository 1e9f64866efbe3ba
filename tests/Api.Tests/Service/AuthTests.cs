using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Provenance.Api.Audit;
using Provenance.Api.Auth;
using Provenance.Api.Tests.Infrastructure;
using Provenance.Testing;

namespace Provenance.Api.Tests.Service;

public sealed class AuthTests(ServiceFactory service) : IClassFixture<ServiceFactory>
{
    /// <summary>A real (tiny) clip: uploads are probed before they are queued.</summary>
    private static async Task<ByteArrayContent> VideoAsync()
    {
        var clip = await TestClips.CreateAsync(TestClipKind.TestSource2, 160, 120, 1, 10);
        var content = new ByteArrayContent(await File.ReadAllBytesAsync(clip));
        content.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");
        return content;
    }

    [Fact]
    public async Task PostScan_WithoutKey_Answers401Problem()
    {
        var response = await service.CreateClient().PostAsync("/v1/scans", await VideoAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [InlineData("pvk_aaaaaaaaaaaa_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("not-a-key")]
    [InlineData("")]
    public async Task PostScan_WithInvalidKey_Answers401(string key)
    {
        var client = service.CreateClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer " + key);
        var response = await client.PostAsync("/v1/scans", await VideoAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task PostScan_WithKeyLackingScanScope_Answers403()
    {
        var client = await service.ClientWithKeyAsync(ApiKeyScopes.Generate);
        var response = await client.PostAsync("/v1/scans", await VideoAsync());
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task RevokedKey_StopsWorkingAtOnce()
    {
        var store = service.Services.GetRequiredService<ApiKeyStore>();
        var (record, secret) = await store.CreateAsync("to revoke", [ApiKeyScopes.Scan], "test", CancellationToken.None);
        var client = service.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret.ToString());
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync("/v1/scans", await VideoAsync())).StatusCode);

        Assert.True(await store.RevokeAsync(record.KeyId, "test", CancellationToken.None));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync("/v1/scans", await VideoAsync())).StatusCode);
    }

    [Fact]
    public async Task RotatedKey_ReplacementWorksAndOldOneDoesNot()
    {
        var store = service.Services.GetRequiredService<ApiKeyStore>();
        var (record, oldSecret) = await store.CreateAsync("to rotate", [ApiKeyScopes.Scan], "test", CancellationToken.None);
        var rotated = await store.RotateAsync(record.KeyId, "test", CancellationToken.None);
        Assert.NotNull(rotated);
        Assert.Equal(record.Scopes, rotated.Value.Key.Scopes);
        Assert.Null(await store.AuthenticateAsync(oldSecret, CancellationToken.None));
        Assert.NotNull(await store.AuthenticateAsync(rotated.Value.Secret, CancellationToken.None));
        var listed = (await store.ListAsync(CancellationToken.None)).Single(k => k.KeyId == record.KeyId);
        Assert.Equal(rotated.Value.Key.KeyId, listed.ReplacedBy);
    }

    [Fact]
    public async Task Keys_AreStoredOnlyAsHashes()
    {
        var store = service.Services.GetRequiredService<ApiKeyStore>();
        var (record, secret) = await store.CreateAsync("hash check", [ApiKeyScopes.Scan], "test", CancellationToken.None);
        await using var cmd = service.Database.DataSource.CreateCommand("SELECT secret_sha256 FROM api_keys WHERE key_id = @id");
        cmd.Parameters.AddWithValue("id", record.KeyId);
        var stored = (byte[])(await cmd.ExecuteScalarAsync())!;
        Assert.Equal(32, stored.Length);
        Assert.Equal(secret.SecretHash(), stored);
        Assert.DoesNotContain(secret.Secret, System.Text.Encoding.ASCII.GetString(stored));
    }

    [Fact]
    public async Task AuditLog_RecordsKeyCreationAndScans_AndRefusesRewrites()
    {
        var client = await service.ClientWithKeyAsync(ApiKeyScopes.Scan);
        var response = await client.PostAsync("/v1/scans", await VideoAsync());
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var entries = await service.Services.GetRequiredService<AuditLog>().ReadAsync(50, CancellationToken.None);
        Assert.Contains(entries, e => e.Action == "apikey.create");
        Assert.Contains(entries, e => e.Action == "scan.create");

        await using var update = service.Database.DataSource.CreateCommand("UPDATE audit_log SET actor = 'someone else'");
        var error = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => update.ExecuteNonQueryAsync());
        Assert.Contains("append-only", error.MessageText);
        await using var delete = service.Database.DataSource.CreateCommand("DELETE FROM audit_log");
        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => delete.ExecuteNonQueryAsync());
    }
}

public sealed class RateLimitTests : IClassFixture<RateLimitTests.StrictFactory>
{
    private readonly StrictFactory _service;

    public RateLimitTests(StrictFactory service) => _service = service;

    public sealed class StrictFactory : ServiceFactory
    {
        public StrictFactory()
        {
            Settings["Provenance:RateLimit:PermitsPerMinute"] = "3";
            Settings["Provenance:RateLimit:Burst"] = "3";
        }
    }

    [Fact]
    public async Task TooManyRequestsFromOneKey_Answers429WithRetryAfter_WhileAnotherKeyStillWorks()
    {
        var client = await _service.ClientWithKeyAsync(ApiKeyScopes.Scan);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await client.GetAsync($"/v1/scans/{Guid.NewGuid()}")).StatusCode);
        }
        Assert.Equal(HttpStatusCode.NotFound, statuses[0]);
        var limited = await client.GetAsync($"/v1/scans/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta is { } delta && delta > TimeSpan.Zero, "Retry-After missing");
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);

        var other = await _service.ClientWithKeyAsync(ApiKeyScopes.Scan);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/v1/scans/{Guid.NewGuid()}")).StatusCode);
    }
}
