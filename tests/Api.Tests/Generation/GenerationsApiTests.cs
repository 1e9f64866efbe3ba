using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Provenance.Api.Auth;
using Provenance.Api.Jobs;
using Provenance.Api.Ledger;
using Provenance.Api.Tests.Infrastructure;
using Provenance.Api.Verify;
using Provenance.Ledger.Log;
using Provenance.Ledger.Notes;
using Provenance.Signer;
using Provenance.Signer.Verification;
using Provenance.Testing;

namespace Provenance.Api.Tests.Generation;

public sealed class GenerationsApiTests : IClassFixture<GenerationsApiTests.GeneratingFactory>
{
    private readonly GeneratingFactory _service;

    public GenerationsApiTests(GeneratingFactory service) => _service = service;

    public sealed class GeneratingFactory : ServiceFactory
    {
        public GeneratingFactory()
        {
            Settings["Provenance:Keys:Passphrase"] = "generation-api-test-passphrase";
            Settings["Ledger:CheckpointIntervalMs"] = "200";
            Settings["Provenance:Safety:LogPrompts"] = "true";
        }

        /// <summary>The safety audit lines written for <paramref name="prompt"/> (prompts are logged in clear here).</summary>
        public List<JsonElement> SafetyAuditLinesFor(string prompt)
        {
            var path = Path.Combine(DataDirectory, "safety-audit.jsonl");
            if (!File.Exists(path))
            {
                return [];
            }
            return File.ReadAllLines(path).Select(l => JsonDocument.Parse(l).RootElement)
                .Where(line => line.TryGetProperty("prompt", out var p) && p.GetString() == prompt).ToList();
        }

        public void EnsureKeys()
        {
            var keys = Services.GetRequiredService<ServiceTrust>().Keys;
            lock (this)
            {
                if (!keys.HasSigner)
                {
                    keys.InitCa("Generation API test");
                    keys.IssueClaimSigner("Generation API test signer", SigningAlgorithm.Es256, TimeSpan.FromDays(30));
                }
            }
        }
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private async Task<JsonElement> WaitForAsync(HttpClient client, string statusUrl)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(4);
        while (true)
        {
            var status = await client.GetFromJsonAsync<JsonElement>(statusUrl);
            var s = status.GetProperty("status").GetString();
            if (s is JobStatus.Done or JobStatus.Failed or JobStatus.Dead or JobStatus.Cancelled)
            {
                return status;
            }
            Assert.True(DateTime.UtcNow < deadline, $"job still {s} after 4 minutes");
            await Task.Delay(250);
        }
    }

    [Fact]
    public async Task RefusedPrompt_Answers422WithTheReasonCode_QueuesNothing_AndIsAuditedOnce()
    {
        var client = await _service.ClientWithKeyAsync(ApiKeyScopes.Generate);
        await using var count = _service.Database.DataSource.CreateCommand("SELECT count(*) FROM jobs WHERE kind = 'generation'");
        var before = (long)(await count.ExecuteScalarAsync())!;
        var response = await client.PostAsync("/v1/generations", Json("""{"prompt":"b e h e a d i n g video","seconds":1}"""));
        Assert.Equal((HttpStatusCode)422, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("violence.graphic", problem.GetProperty("reasonCode").GetString());
        Assert.Equal(before, (long)(await count.ExecuteScalarAsync())!);
        var audited = Assert.Single(_service.SafetyAuditLinesFor("b e h e a d i n g video"));
        Assert.False(audited.GetProperty("allowed").GetBoolean());
        Assert.Equal("violence.graphic", audited.GetProperty("reasonCode").GetString());
    }

    [Theory]
    [InlineData("{\"prompt\": ")]
    [InlineData("not json at all")]
    [InlineData("{\"prompt\": 5, \"seconds\": \"many\"}")]
    public async Task MalformedJson_Answers400(string body)
    {
        var client = await _service.ClientWithKeyAsync(ApiKeyScopes.Generate);
        var response = await client.PostAsync("/v1/generations", Json(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task OutOfLimitsRequest_AnswersValidationProblem()
    {
        var client = await _service.ClientWithKeyAsync(ApiKeyScopes.Generate);
        var response = await client.PostAsync("/v1/generations", Json("""{"prompt":"a quiet lake","seconds":600,"size":"7680x4320"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Generation_WithAScanOnlyKey_Answers403()
    {
        var client = await _service.ClientWithKeyAsync(ApiKeyScopes.Scan);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync("/v1/generations", Json("""{"prompt":"a quiet lake"}"""))).StatusCode);
    }

    [Fact]
    public async Task Generation_IsAuditedOnce_AndReleasesATrustedClip_WithAReceiptThatVerifiesOffline()
    {
        _service.EnsureKeys();
        var client = await _service.ClientWithKeyAsync(ApiKeyScopes.Generate);
        var response = await client.PostAsync("/v1/generations", Json("""{"prompt":"a lighthouse in fog at dawn","seconds":1,"size":"320x180","fps":25,"seed":3}"""));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = (await response.Content.ReadFromJsonAsync<JobAccepted>())!;
        var done = await WaitForAsync(client, accepted.StatusUrl);
        Assert.True(done.GetProperty("status").GetString() == JobStatus.Done, done.ToString());
        var audited = Assert.Single(_service.SafetyAuditLinesFor("a lighthouse in fog at dawn"));
        Assert.True(audited.GetProperty("allowed").GetBoolean());
        Assert.Equal(accepted.Id.ToString(), audited.GetProperty("subject").GetString());

        var clipPath = Path.Combine(_service.DataDirectory, "downloaded.mp4");
        await File.WriteAllBytesAsync(clipPath, await client.GetByteArrayAsync($"/v1/generations/{accepted.Id}/clip"));
        var verified = await C2paVerifier.VerifyAsync(clipPath, _service.Services.GetRequiredService<ServiceTrust>().Load(), CancellationToken.None);
        Assert.Equal(C2paState.Trusted, verified.State);

        var receipt = await client.GetFromJsonAsync<JsonElement>($"/v1/generations/{accepted.Id}/receipt");
        var assetId = receipt.GetProperty("assetId").GetString()!;
        Assert.Matches("^[0-9a-f]{16}$", assetId);
        var ledger = _service.Services.GetRequiredService<LedgerProvider>();
        var keys = CheckpointKeys.LoadOrCreate(ledger.Options.KeyDirectory!, ledger.Options.Origin);
        var (entry, _) = LedgerReceipt.Parse(receipt.GetProperty("tlogProof").GetString()!)
            .Verify(ledger.Options.Origin, keys.Verifiers);
        Assert.Equal(assetId, Provenance.Ledger.Log.LedgerEntry.FormatId(entry.Entry.AssetId));
        Assert.Equal(receipt.GetProperty("ledgerIndex").GetInt64(), entry.Index);
    }

    [Fact]
    public async Task Stamp_OfAnUploadedClip_ReleasesItWatermarkedSignedAndLogged()
    {
        _service.EnsureKeys();
        var client = await _service.ClientWithKeyAsync(ApiKeyScopes.Generate);
        var source = await TestClips.CreateAsync(TestClipKind.Mandelbrot, 320, 240, 1, 25);
        var content = new StreamContent(File.OpenRead(source));
        content.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");
        var response = await client.PostAsync("/v1/stamps", content);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = (await response.Content.ReadFromJsonAsync<JobAccepted>())!;
        var done = await WaitForAsync(client, accepted.StatusUrl);
        Assert.True(done.GetProperty("status").GetString() == JobStatus.Done, done.ToString());
        var receipt = await client.GetFromJsonAsync<JsonElement>($"/v1/stamps/{accepted.Id}/receipt");
        Assert.Matches("^[0-9a-f]{16}$", receipt.GetProperty("assetId").GetString()!);
        var clip = await client.GetAsync($"/v1/stamps/{accepted.Id}/clip");
        Assert.Equal("video/mp4", clip.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task UnknownGeneration_Answers404()
    {
        var client = _service.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/v1/generations/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/v1/generations/{Guid.NewGuid()}/clip")).StatusCode);
    }
}
