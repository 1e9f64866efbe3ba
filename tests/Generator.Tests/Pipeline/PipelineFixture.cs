using System.Security.Cryptography.X509Certificates;
using Provenance.Generator.Pipeline;
using Provenance.Generator.Safety;
using Provenance.Media;
using Provenance.Signer;
using Provenance.Signer.Certificates;
using Provenance.Signer.Signing;
using Provenance.Testing;
using Provenance.Watermark;

namespace Provenance.Generator.Tests.Pipeline;

/// <summary>Real parts for pipeline tests: our CA and claim signer, a watermark key, ffmpeg, the PostgreSQL transparency log.</summary>
internal sealed class PipelineFixture : IDisposable
{
    public PipelineFixture()
    {
        Root = CertificateAuthority.CreateRoot("CN=Generator Test Root, O=Provenance Tests", SigningAlgorithm.Es256, TimeSpan.FromDays(2));
        Intermediate = CertificateAuthority.CreateIntermediate(Root, "CN=Generator Test Intermediate, O=Provenance Tests", SigningAlgorithm.Es256, TimeSpan.FromDays(2));
        SignerCertificate = CertificateAuthority.IssueClaimSigner(Intermediate, "CN=Generator Test Signer, O=Provenance Tests", SigningAlgorithm.Es256, TimeSpan.FromDays(2));
        Signer = new X509Signer([SignerCertificate, Intermediate], PemFiles.PrivateKeyOf(SignerCertificate), SigningAlgorithm.Es256);
        WatermarkKey = WatermarkKey.FromBytes(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
        Runner = new FfmpegRunner();
    }

    public X509Certificate2 Root { get; }
    public X509Certificate2 Intermediate { get; }
    public X509Certificate2 SignerCertificate { get; }
    public X509Signer Signer { get; }
    public WatermarkKey WatermarkKey { get; }
    public FfmpegRunner Runner { get; }
    public PostgresTestLedger Ledger { get; } = new();

    public TrustList Trust => new([Root]);

    /// <summary>
    /// Asserts that the clip's watermark decodes to <paramref name="assetId"/> after a platform-style re-encode (at most
    /// 720 lines, x264 CRF 28, metadata and C2PA box stripped).
    /// </summary>
    public async Task AssertWatermarkSurvivesPlatformAsync(string clip, string assetId)
    {
        using var folder = new TempFolder("provenance-platform-");
        var copy = folder.File("platform.mp4");
        var probe = await new VideoProber(Runner).ProbeAsync(clip, null, CancellationToken.None);
        await ClipChecks.PlatformReencodeAsync(clip, copy, Math.Min(720, probe.Height));
        var read = await ClipChecks.ReadWatermarkAsync(Runner, WatermarkKey, copy);
        Assert.True(read.Found && read.PayloadHex == assetId,
            $"{Path.GetFileName(clip)} after re-encode: found={read.Found} payload={read.PayloadHex} p={read.PValue} sync={read.SyncScore} bits={read.RawBitAgreement} frames={read.FramesUsed} note={read.Note}");
    }

    /// <summary>Asserts that c2pa-rs, the reference implementation, validates the clip as Trusted under the test root.</summary>
    public async Task AssertTrustedByC2paRsAsync(string clip)
    {
        using var folder = new TempFolder("provenance-trust-");
        var pem = folder.File("root.pem");
        await File.WriteAllTextAsync(pem, Root.ExportCertificatePem());
        var report = (await C2paCheck.CheckAsync(clip, pem))[0];
        Assert.True(report.State == "Trusted", report.Json);
    }

    public StampingPipeline Pipeline(SafetyGate? safety = null, StampingOptions? options = null) =>
        new(Runner, hardware: null, WatermarkKey, Signer, timeStamper: null, Ledger, safety, options ?? new StampingOptions { Preset = "veryfast" });

    public void Dispose()
    {
        Signer.Dispose();
        Runner.Dispose();
        Ledger.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
