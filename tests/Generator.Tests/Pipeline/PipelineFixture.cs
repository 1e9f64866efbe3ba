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
