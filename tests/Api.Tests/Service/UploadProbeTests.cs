using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Provenance.Api.Auth;
using Provenance.Api.Tests.Infrastructure;
using Provenance.Api.Uploads;
using Provenance.Testing;

namespace Provenance.Api.Tests.Service;

/// <summary>Uploads are probed with ffprobe once stored and before their job is queued.</summary>
public sealed class UploadProbeTests : IClassFixture<UploadProbeTests.ShortClipsFactory>
{
    private readonly ShortClipsFactory _service;

    public UploadProbeTests(ShortClipsFactory service) => _service = service;

    public sealed class ShortClipsFactory : ServiceFactory
    {
        public ShortClipsFactory()
        {
            Settings["Provenance:Uploads:MaxDuration"] = "00:00:02";
            Settings["Provenance:Jobs:InProcessWorkers"] = "false";
        }
    }

    private string UploadsFolder => Path.Combine(_service.DataDirectory, "uploads");

    private int StoredUploads => Directory.Exists(UploadsFolder) ? Directory.GetFiles(UploadsFolder).Length : 0;

    private static async Task<HttpContent> FileContentAsync(string path)
    {
        var content = new ByteArrayContent(await File.ReadAllBytesAsync(path));
        content.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");
        return content;
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    [Theory]
    [InlineData("/v1/scans", ApiKeyScopes.Scan)]
    [InlineData("/v1/stamps", ApiKeyScopes.Generate)]
    public async Task ClipLongerThanTheMaximumDuration_IsRefusedWith422_AndNotKept(string path, string scope)
    {
        var client = await _service.ClientWithKeyAsync(scope);
        var clip = await TestClips.CreateAsync(TestClipKind.TestSource2, 160, 120, 3, 10);
        var before = StoredUploads;

        var response = await client.PostAsync(path, await FileContentAsync(clip));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await ProblemAsync(response);
        Assert.Equal(422, problem.GetProperty("status").GetInt32());
        Assert.Equal("Clip too long", problem.GetProperty("title").GetString());
        Assert.Equal(UploadInspector.TooLongReason, problem.GetProperty("reason").GetString());
        Assert.Equal(3, problem.GetProperty("durationSeconds").GetDouble(), 1);
        Assert.Equal(2, problem.GetProperty("maxDurationSeconds").GetDouble());
        Assert.Contains("MaxDuration", problem.GetProperty("detail").GetString());
        Assert.Equal(before, StoredUploads);
    }

    [Fact]
    public async Task ClipWithinTheMaximumDuration_IsQueued()
    {
        var client = await _service.ClientWithKeyAsync(ApiKeyScopes.Scan);
        var clip = await TestClips.CreateAsync(TestClipKind.TestSource2, 160, 120, 1.5, 10);
        var response = await client.PostAsync("/v1/scans", await FileContentAsync(clip));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task UploadThatIsNotAVideo_IsRefusedWith422_AndNotKept()
    {
        var client = await _service.ClientWithKeyAsync(ApiKeyScopes.Scan);
        var before = StoredUploads;
        var content = new ByteArrayContent("this is a text file pretending to be a video\n"u8.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");

        var response = await client.PostAsync("/v1/scans", content);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await ProblemAsync(response);
        Assert.Equal("Not a playable video", problem.GetProperty("title").GetString());
        Assert.Equal(UploadInspector.NotAVideoReason, problem.GetProperty("reason").GetString());
        Assert.DoesNotContain(UploadsFolder, problem.GetProperty("detail").GetString());
        Assert.Equal(before, StoredUploads);
    }

    [Fact]
    public async Task TruncatedVideo_IsRefusedWith422()
    {
        var client = await _service.ClientWithKeyAsync(ApiKeyScopes.Scan);
        var clip = await File.ReadAllBytesAsync(await TestClips.CreateAsync(TestClipKind.TestSource2, 160, 120, 1, 10));
        // The moov box sits at the front (+faststart): cutting the file in its first bytes leaves no readable header.
        var content = new ByteArrayContent(clip[..200]);
        content.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");

        var response = await client.PostAsync("/v1/scans", content);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(UploadInspector.NotAVideoReason, (await ProblemAsync(response)).GetProperty("reason").GetString());
    }
}
