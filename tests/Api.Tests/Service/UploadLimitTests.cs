using System.Net;
using System.Net.Http.Headers;
using Provenance.Api.Auth;
using Provenance.Api.Tests.Infrastructure;

namespace Provenance.Api.Tests.Service;

/// <summary>Upload limits against the real server (Kestrel on loopback), where bodies stream over a socket.</summary>
public sealed class UploadLimitTests : IClassFixture<UploadLimitTests.SmallUploadService>
{
    private const int MaxBytes = 256 * 1024;
    private const long Huge = 256L * 1024 * 1024;
    private readonly SmallUploadService _service;

    public UploadLimitTests(SmallUploadService service) => _service = service;

    public sealed class SmallUploadService : LiveService
    {
        public SmallUploadService()
        {
            Settings["Provenance:Uploads:MaxBytes"] = MaxBytes.ToString();
            Settings["Provenance:Uploads:MinBytesPerSecond"] = "50000";
            Settings["Provenance:Uploads:MinRateGrace"] = "00:00:01";
            Settings["Provenance:Jobs:InProcessWorkers"] = "false";
        }

        public async Task<HttpClient> ClientWithKeyAsync(params string[] scopes)
        {
            var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await CreateKeyAsync(scopes));
            return client;
        }
    }

    private string UploadsFolder => Path.Combine(_service.DataDirectory, "uploads");

    private int StoredUploads => Directory.Exists(UploadsFolder) ? Directory.GetFiles(UploadsFolder).Length : 0;

    [Fact]
    public async Task DeclaredOversizeUpload_IsRefusedWith413BeforeTheBodyIsRead()
    {
        var key = await _service.CreateKeyAsync(ApiKeyScopes.Scan);
        var before = StoredUploads;
        var result = await RawHttpUpload.PostAsync(_service.BaseAddress, "/v1/scans", "video/mp4", key,
            declaredLength: Huge, totalBytes: Huge, chunk: 64 * 1024, pause: TimeSpan.Zero, timeout: TimeSpan.FromSeconds(60));
        Assert.Equal(413, result.StatusCode);
        Assert.Contains("application/problem+json", result.Head);
        Assert.True(result.BodyBytesSent < Huge / 8, $"the client sent {result.BodyBytesSent} bytes of a body the server should have refused at once");
        Assert.Equal(before, StoredUploads);
    }

    [Fact]
    public async Task ChunkedOversizeUpload_IsCutOffWhileStreaming_AndLeavesNoFile()
    {
        var key = await _service.CreateKeyAsync(ApiKeyScopes.Scan);
        var before = StoredUploads;
        var result = await RawHttpUpload.PostAsync(_service.BaseAddress, "/v1/scans", "application/octet-stream", key,
            declaredLength: null, totalBytes: Huge, chunk: 64 * 1024, pause: TimeSpan.Zero, timeout: TimeSpan.FromSeconds(60));
        Assert.Equal(413, result.StatusCode);
        Assert.True(result.BodyBytesSent < Huge / 8, $"the client sent {result.BodyBytesSent} bytes: the server kept reading past its limit");
        Assert.Equal(before, StoredUploads);
    }

    [Fact]
    public async Task SlowUpload_TimesOutWith408_AndLeavesNoFile()
    {
        var key = await _service.CreateKeyAsync(ApiKeyScopes.Scan);
        var before = StoredUploads;
        var result = await RawHttpUpload.PostAsync(_service.BaseAddress, "/v1/scans", "video/mp4", key,
            declaredLength: 100_000, totalBytes: 100_000, chunk: 100, pause: TimeSpan.FromMilliseconds(200), timeout: TimeSpan.FromSeconds(60));
        Assert.Equal(408, result.StatusCode);
        Assert.True(result.BodyBytesSent < 100_000);
        Assert.Equal(before, StoredUploads);
    }
}
