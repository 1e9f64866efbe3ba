using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Provenance.Api.Auth;
using Provenance.Api.Jobs;
using Provenance.Api.Tests.Infrastructure;
using Provenance.Testing;

namespace Provenance.Api.Tests.Service;

public sealed class UploadTests : IClassFixture<UploadTests.SmallUploadFactory>
{
    private const int MaxBytes = 256 * 1024;
    private readonly SmallUploadFactory _service;

    public UploadTests(SmallUploadFactory service) => _service = service;

    public sealed class SmallUploadFactory : ServiceFactory
    {
        public SmallUploadFactory()
        {
            Settings["Provenance:Uploads:MaxBytes"] = MaxBytes.ToString();
            Settings["Provenance:Uploads:MinBytesPerSecond"] = "50000";
            Settings["Provenance:Uploads:MinRateGrace"] = "00:00:01";
            Settings["Provenance:Jobs:InProcessWorkers"] = "false";
        }
    }

    private string UploadsFolder => Path.Combine(_service.DataDirectory, "uploads");

    /// <summary>A real clip well under the upload limit: uploads are probed before they are queued.</summary>
    private static Task<string> SmallClipAsync() => TestClips.CreateAsync(TestClipKind.TestSource2, 160, 120, 1, 10);

    private int StoredUploads => Directory.Exists(UploadsFolder) ? Directory.GetFiles(UploadsFolder).Length : 0;

    [Fact]
    public async Task RawBodyUpload_Answers202WithLocation_AndStatusIsQueued()
    {
        var client = await _service.ClientWithKeyAsync(ApiKeyScopes.Scan);
        var content = new ByteArrayContent(await File.ReadAllBytesAsync(await SmallClipAsync()));
        content.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");
        var response = await client.PostAsync("/v1/scans", content);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<JobAccepted>();
        Assert.NotNull(accepted);
        Assert.Equal($"/v1/scans/{accepted.Id}", response.Headers.Location?.ToString());

        var status = await client.GetFromJsonAsync<JsonElement>(accepted.StatusUrl);
        Assert.Equal("queued", status.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, status.GetProperty("report").ValueKind);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/json")]
    [InlineData("image/png")]
    public async Task WrongContentType_Answers415(string type)
    {
        var client = await _service.ClientWithKeyAsync(ApiKeyScopes.Scan);
        var content = new ByteArrayContent(new byte[100]);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        var response = await client.PostAsync("/v1/scans", content);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task EmptyUpload_Answers400()
    {
        var client = await _service.ClientWithKeyAsync(ApiKeyScopes.Scan);
        var content = new ByteArrayContent([]);
        content.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/v1/scans", content)).StatusCode);
    }

    [Theory]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("..\\..\\windows\\system.ini", "system.ini")]
    [InlineData("/absolute/clip.mp4", "clip.mp4")]
    [InlineData("....//....//x.mp4", "x.mp4")]
    public async Task MultipartFileNameWithPathTraversal_IsStoredOnlyAsAHarmlessLabel(string name, string label)
    {
        var client = await _service.ClientWithKeyAsync(ApiKeyScopes.Scan);
        using var form = new MultipartFormDataContent();
        var clip = await SmallClipAsync();
        var file = new ByteArrayContent(await File.ReadAllBytesAsync(clip));
        file.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");
        form.Add(file, "file", name);
        var response = await client.PostAsync("/v1/scans", form);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = (await response.Content.ReadFromJsonAsync<JobAccepted>())!;

        var job = await _service.Services.GetRequiredService<JobStore>().GetAsync(accepted.Id, CancellationToken.None);
        Assert.NotNull(job);
        Assert.Equal(label, job.Input.GetProperty("originalName").GetString());
        var stored = job.Input.GetProperty("uploadPath").GetString()!;
        Assert.Equal(Path.GetFullPath(UploadsFolder), Path.GetDirectoryName(stored));
        Assert.True(File.Exists(stored));
        Assert.Equal(new FileInfo(clip).Length, new FileInfo(stored).Length);
    }

    [Fact]
    public async Task UnknownScanId_Answers404Problem()
    {
        var response = await _service.CreateClient().GetAsync($"/v1/scans/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await _service.CreateClient().GetAsync($"/v1/scans/{Guid.NewGuid()}/report.html")).StatusCode);
    }

    [Fact]
    public async Task BadCallbackUrl_Answers400()
    {
        var client = await _service.ClientWithKeyAsync(ApiKeyScopes.Scan);
        var content = new ByteArrayContent(new byte[100]);
        content.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");
        var response = await client.PostAsync("/v1/scans?callbackUrl=" + Uri.EscapeDataString("file:///etc/passwd"), content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
