using Provenance.Signer.Embedding;
using Provenance.Signer.Manifest;

namespace Provenance.Signer.Tests;

/// <summary>Files we sign, checked by c2pa-rs (both engines).</summary>
public sealed class InteropSigningTests
{
    internal static ClipManifest AiManifest(string title) => new()
    {
        Title = title,
        Generator = new SoftwareAgent("Provenance Test Generator", "1.0.0", "test-diffusion", "2026.11"),
        SoftBindings =
        [
            new SoftBinding("org.provenance.watermark.v1", [1, 2, 3, 4, 5, 6, 7, 8], 0, 2000),
            new SoftBinding("org.provenance.fingerprint.v1", [9, 9, 9, 9], 0, 2000),
        ],
        CreatedAt = DateTimeOffset.UtcNow,
    };

    [Theory]
    [InlineData(SigningAlgorithm.Es256, false)]
    [InlineData(SigningAlgorithm.Es384, false)]
    [InlineData(SigningAlgorithm.Ps256, false)]
    [InlineData(SigningAlgorithm.Es256, true)]
    [InlineData(SigningAlgorithm.Ps256, true)]
    public async Task SignedClip_IsTrustedByC2paRsOnBothEngines(SigningAlgorithm alg, bool timeStamped)
    {
        using var temp = new TempFolder();
        var creds = TestCredentials.For(alg);
        var output = temp.File("signed.mp4");
        using var signer = creds.Signer();

        var signed = await Mp4Embedder.SignAsync(await TestClips.PlainAsync(), output, AiManifest("signed.mp4"), signer,
            timeStamped ? creds.TimeStamper() : null, CancellationToken.None);

        Assert.Equal(timeStamped, signed.TimeStamped);
        var reports = await C2paCheck.CheckAsync(output, creds.WriteRootPem(temp), "both");
        foreach (var report in reports)
        {
            Assert.True(report.State == "Trusted", report.Json);
            Assert.Empty(report.Failure);
            Assert.Contains("assertion.bmffHash.match", report.Success);
            if (timeStamped) Assert.Contains("timeStamp.trusted", report.Success);
        }
    }
}
