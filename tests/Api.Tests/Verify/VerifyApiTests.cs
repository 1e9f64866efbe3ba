using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Provenance.Api.Auth;
using Provenance.Api.Tests.Infrastructure;
using Provenance.Api.Verify;
using Provenance.Signer;
using Provenance.Signer.Embedding;
using Provenance.Signer.Manifest;
using Provenance.Testing;

namespace Provenance.Api.Tests.Verify;

public sealed class VerifyApiTests : IClassFixture<VerifyApiTests.KeyedFactory>
{
    private readonly KeyedFactory _service;

    public VerifyApiTests(KeyedFactory service) => _service = service;

    public sealed class KeyedFactory : ServiceFactory
    {
        public KeyedFactory()
        {
            Settings["Provenance:Keys:Passphrase"] = "verify-api-test-passphrase";
            Settings["Provenance:Jobs:InProcessWorkers"] = "false";
        }
    }

    private static async Task<HttpResponseMessage> PostFileAsync(HttpClient client, string path)
    {
        var content = new StreamContent(File.OpenRead(path));
        content.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");
        return await client.PostAsync("/v1/verify", content);
    }

    /// <summary>A clip signed with the service's own key folder (CA initialised on first use).</summary>
    private async Task<string> SignedClipAsync(string name)
    {
        var keys = _service.Services.GetRequiredService<ServiceTrust>().Keys;
        if (!keys.HasSigner)
        {
            keys.InitCa("Verify API test");
            keys.IssueClaimSigner("Verify API test signer", SigningAlgorithm.Es256, TimeSpan.FromDays(30));
        }
        var source = await TestClips.CreateAsync(TestClipKind.TestSource2, 320, 240, 1, 25);
        var output = Path.Combine(_service.DataDirectory, name);
        using var signer = keys.LoadSigner();
        var manifest = new ClipManifest
        {
            Title = name,
            Generator = new SoftwareAgent("Verify API test", null, null, null),
            CreatedAt = DateTimeOffset.UtcNow,
        };
        await Mp4Embedder.SignAsync(source, output, manifest, signer, null, CancellationToken.None);
        return output;
    }

    [Fact]
    public async Task ClipSignedWithTheServiceKeys_IsTrusted_WithTheSpecSuccessCodes()
    {
        var client = await _service.ClientWithKeyAsync(ApiKeyScopes.Scan);
        var response = await PostFileAsync(client, await SignedClipAsync("signed.mp4"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("Trusted", json.RootElement.GetProperty("state").GetString());
        var codes = json.RootElement.GetProperty("statuses").EnumerateArray().Select(s => s.GetProperty("code").GetString()).ToList();
        Assert.Contains("claimSignature.validated", codes);
        Assert.Contains("signingCredential.trusted", codes);
        Assert.Contains("assertion.bmffHash.match", codes);
        Assert.Empty(Directory.GetFiles(Path.Combine(_service.DataDirectory, "uploads")));
    }

    [Fact]
    public async Task ClipWithFlippedMediaByte_IsInvalid_WithBmffHashMismatch()
    {
        var client = await _service.ClientWithKeyAsync(ApiKeyScopes.Scan);
        var path = await SignedClipAsync("tampered.mp4");
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[^100] ^= 0xFF; // inside mdat, the last box ffmpeg writes without +faststart
        await File.WriteAllBytesAsync(path, bytes);
        using var json = JsonDocument.Parse(await (await PostFileAsync(client, path)).Content.ReadAsStringAsync());
        Assert.Equal("Invalid", json.RootElement.GetProperty("state").GetString());
        Assert.Contains(json.RootElement.GetProperty("statuses").EnumerateArray(), s => s.GetProperty("code").GetString() == "assertion.bmffHash.mismatch");
    }

    [Fact]
    public async Task UnsignedClip_IsAbsent()
    {
        var client = await _service.ClientWithKeyAsync(ApiKeyScopes.Scan);
        var clip = await TestClips.CreateAsync(TestClipKind.TestSource2, 320, 240, 1, 25);
        var result = await (await PostFileAsync(client, clip)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Absent", result.GetProperty("state").GetString());
    }

    [Fact]
    public async Task Verify_WithoutKey_Answers401()
    {
        var clip = await TestClips.CreateAsync(TestClipKind.TestSource2, 320, 240, 1, 25);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostFileAsync(_service.CreateClient(), clip)).StatusCode);
    }
}
