using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Provenance.Detector.Reports;
using Provenance.Detector.Sampling;
using Provenance.Detector.Scanning;
using Provenance.Ledger.Log;
using Provenance.Ledger.Notes;
using Provenance.Media;
using Provenance.Media.Fingerprints;
using Provenance.Signer;
using Provenance.Signer.Certificates;
using Provenance.Signer.Embedding;
using Provenance.Signer.Manifest;
using Provenance.Signer.Signing;
using Provenance.Testing;
using Provenance.Testing.Postgres;
using Provenance.Watermark;

namespace Provenance.Detector.Tests.Scanning;

/// <summary>
/// A clip stamped as the generator stamps (watermark, libx264, fingerprints of the encoded key frames, signed C2PA
/// manifest, ledger entry on real PostgreSQL), then scanned as an upload: as released, after a platform re-encode
/// that strips its metadata, and beside unrelated clips.
/// </summary>
public sealed class RegisteredClipScanTests(RegisteredClipFixture fixture) : IClassFixture<RegisteredClipFixture>, IDisposable
{
    private static readonly WatermarkKey WrongKey = WatermarkKey.FromBytes(SHA256.HashData("not-the-service-key"u8));
    private const ulong AssetId = RegisteredClipFixture.AssetId;
    private static readonly WatermarkKey ServiceKey = RegisteredClipFixture.ServiceKey;
    private readonly TempFolder dir = new();
    private readonly FfmpegRunner runner = new();

    public void Dispose()
    {
        runner.Dispose();
        dir.Dispose();
    }

    [Fact]
    public async Task ReencodedCopyWithoutMetadata_UnderAnotherWatermarkKey_IsLikelyDerivedFromTheRegisteredAsset()
    {
        var copy = await ReencodeAsync(fixture.StampedClip, "platform-copy.mp4", "scale=480:270", crf: 30);

        var report = await ScanAsync(copy, WrongKey);

        Assert.Equal(CredentialsState.Absent, report.Credentials.State);
        Assert.Null(report.Credentials.ManifestHash);
        Assert.Equal(CheckStatus.Checked, report.Watermark.Status);
        Assert.False(report.Watermark.Found);
        Assert.Empty(report.Ledger.Matches);
        Assert.Equal(CheckStatus.Checked, report.Fingerprint.Status);
        Assert.True(report.Fingerprint.FramesCompared >= 10, $"{report.Fingerprint.FramesCompared} frames compared");
        var match = Assert.Single(report.Fingerprint.Matches);
        Assert.Equal(LedgerEntry.FormatId(AssetId), match.AssetId);
        Assert.True(match.Distance <= FingerprintLookup.DefaultMaxDistance, $"distance {match.Distance}");
        Assert.True(match.MatchedFrames >= 1);
        Assert.Equal(1, match.LedgerIndex);
        Assert.Equal("test/detector", match.Generator);
        Assert.Equal(Verdict.LikelyDerived, report.Verdict);
        Assert.Contains(LedgerEntry.FormatId(AssetId), report.Reasons[0]);
        Assert.Contains("no watermark", report.Reasons[0]);
    }

    [Fact]
    public async Task UnrelatedClip_MatchesNoRegisteredFingerprint()
    {
        var unrelated = await TestClips.CreateAsync(TestClipKind.TestSource2, 640, 360, 3, 25);

        var report = await ScanAsync(unrelated, ServiceKey);

        Assert.Equal(CheckStatus.Checked, report.Fingerprint.Status);
        Assert.True(report.Fingerprint.FramesCompared > 0);
        Assert.Empty(report.Fingerprint.Matches);
        Assert.NotEqual(Verdict.LikelyDerived, report.Verdict);
        Assert.DoesNotContain(report.Reasons, r => r.Contains(LedgerEntry.FormatId(AssetId), StringComparison.Ordinal));
    }

    [Fact]
    public async Task StampedClipWithCredentials_IsFoundInTheLedgerByItsManifestHash()
    {
        var report = await ScanAsync(fixture.StampedClip, WrongKey);

        Assert.Equal(CredentialsState.ValidUntrusted, report.Credentials.State);
        Assert.Equal(Convert.ToHexStringLower(fixture.Signed.ManifestStoreSha256), report.Credentials.ManifestHash);
        Assert.False(report.Watermark.Found);
        var match = Assert.Single(report.Ledger.Matches);
        Assert.Equal("manifest", match.MatchedBy);
        Assert.Equal(LedgerEntry.FormatId(AssetId), match.AssetId);
        Assert.Equal("test/detector", match.Generator);
        Assert.Equal(1, match.Receipt!.Index);
        Assert.True(match.Receipt.TreeSize >= 2);
        Assert.NotEmpty(match.Receipt.InclusionProof);
        Assert.StartsWith("test.local/ledger\n", match.Receipt.Checkpoint);
        Assert.Equal(Verdict.GeneratedByThisService, report.Verdict);
        Assert.Contains("ledger records their manifest", report.Reasons[0]);
        Assert.Contains(LedgerEntry.FormatId(AssetId), report.Reasons[0]);
        // The frames are the registered clip's too: the fingerprints agree, as a supporting reason.
        Assert.Equal(LedgerEntry.FormatId(AssetId), report.Fingerprint.Matches[0].AssetId);
        Assert.Contains(report.Reasons, r => r.StartsWith("Perceptual fingerprints also match", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StampedClipWithTheServiceKey_MatchesByManifestAndByWatermark()
    {
        var report = await ScanAsync(fixture.StampedClip, ServiceKey);

        Assert.True(report.Watermark.Found);
        Assert.Equal(["manifest", "watermark"], report.Ledger.Matches.Select(m => m.MatchedBy));
        Assert.All(report.Ledger.Matches, m => Assert.Equal(LedgerEntry.FormatId(AssetId), m.AssetId));
        Assert.Equal(Verdict.GeneratedByThisService, report.Verdict);
    }

    [Fact]
    public async Task SampledFrameFingerprints_AgreeWithTheGeneratorsKeyFrameFingerprints()
    {
        var video = await new FrameSampler(runner).SampleAsync(
            await new FrameSampler(runner).ProbeAsync(fixture.StampedClip, new FrameSamplingOptions(), CancellationToken.None),
            new FrameSamplingOptions { SampleRate = 4, MaxShorterSide = 360 }, CancellationToken.None);
        // Frame 0 is the first key frame, the generator's first fingerprint.
        var first = FrameFingerprint.Compute(video.Frames[0].Image);
        Assert.NotNull(first);
        var d = PerceptualHash.Distance(first.Value, fixture.RegisteredFingerprints[0]);
        Assert.True(d <= 4, $"distance {d}");
    }

    [Fact]
    public async Task LookupOfAFinishedSample_FindsTheRegisteredAssetAsTheStreamingScanDoes()
    {
        var sampler = new FrameSampler(runner);
        var options = new FrameSamplingOptions { SampleRate = 4, MaxShorterSide = 360 };
        var video = await sampler.SampleAsync(await sampler.ProbeAsync(fixture.StampedClip, options, CancellationToken.None), options, CancellationToken.None);

        var section = await new FingerprintLookup(fixture.Log.Reader).LookupAsync(video, CancellationToken.None);

        Assert.Equal(video.Frames.Count, section.FramesCompared);
        Assert.Equal(LedgerEntry.FormatId(AssetId), section.Matches[0].AssetId);
        Assert.True(section.Matches[0].Distance <= 4, $"distance {section.Matches[0].Distance}");
        Assert.DoesNotContain(section.Matches, m => m.AssetId == "1111222233334444");
    }

    [Fact]
    public async Task FlatBlackClip_IsNotFingerprintedAndMatchesNoOtherBlackClip()
    {
        var black = await TestClips.RenderWithAsync($"black-{Guid.NewGuid():N}.mp4",
            ["-f", "lavfi", "-i", "color=c=black:s=320x180:r=25", "-t", "2", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]);
        var blackFingerprints = await new ClipFingerprinter(runner).FingerprintAsync(black, CancellationToken.None);
        await fixture.Log.AppendAsync(Entry(0x0b1a_c000_0000_0001UL, SHA256.HashData("black manifest"u8), blackFingerprints), CancellationToken.None);
        var otherBlack = await ReencodeAsync(black, "black-copy.mp4", "scale=640:360", crf: 35);

        var report = await ScanAsync(otherBlack, ServiceKey);

        Assert.Equal(CheckStatus.Checked, report.Fingerprint.Status);
        Assert.Equal(0, report.Fingerprint.FramesCompared);
        Assert.Empty(report.Fingerprint.Matches);
        Assert.Contains("nearly uniform", report.Fingerprint.Reason);
    }

    [Fact]
    public async Task ScanOverItsTimeLimit_WhileStreamingStagesRun_EndsWithAnErrorReportInsteadOfHanging()
    {
        var longClip = await TestClips.CreateAsync(TestClipKind.TestSource2, 1280, 720, 30, 25);
        var components = new ScanComponents
        {
            Watermark = new WatermarkStage(ServiceKey),
            Fingerprint = new FingerprintLookup(fixture.Log.Reader),
        };
        var pipeline = new ScanPipeline(new FrameSampler(runner), components, new ScanOptions { Timeout = TimeSpan.FromMilliseconds(800), SampleRate = 25 });
        using var callerBound = new CancellationTokenSource(TimeSpan.FromSeconds(90));

        var report = await pipeline.ScanAsync(longClip, null, callerBound.Token);

        Assert.False(callerBound.IsCancellationRequested, "the scan ignored its own time limit");
        Assert.Equal(Verdict.Error, report.Verdict);
        Assert.Contains("time limit", report.Input.Reason);
    }

    private async Task<ScanReport> ScanAsync(string path, WatermarkKey key)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var components = new ScanComponents
        {
            Credentials = new C2paCredentialsCheck(TrustList.None),
            Watermark = new WatermarkStage(key),
            Ledger = new LedgerLookup(fixture.Log.Reader),
            Fingerprint = new FingerprintLookup(fixture.Log.Reader),
        };
        return await new ScanPipeline(new FrameSampler(runner), components, new ScanOptions()).ScanAsync(path, null, cts.Token);
    }

    internal static LedgerEntry Entry(ulong assetId, byte[] manifestHash, IReadOnlyList<ulong> fingerprints) => new()
    {
        AssetId = assetId,
        ManifestHash = manifestHash,
        ClaimSignatureHash = SHA256.HashData(BitConverter.GetBytes(~assetId)),
        SignerCertificateFingerprint = SHA256.HashData("signer"u8),
        WatermarkPayload = assetId,
        PerceptualFingerprints = fingerprints,
        GeneratorId = "test/detector",
    };

    /// <summary>What an upload platform does: decode, rescale, re-encode at lower quality, drop every box it does not know.</summary>
    private async Task<string> ReencodeAsync(string input, string name, string filter, int crf)
    {
        var output = dir.File(name);
        var result = await runner.RunAsync(FfmpegTool.Ffmpeg,
            ["-hide_banner", "-nostdin", "-v", "error", "-y", "-i", input, "-map", "0:v:0", "-map_metadata", "-1", "-vf", filter,
             "-c:v", "libx264", "-preset", "veryfast", "-crf", crf.ToString(System.Globalization.CultureInfo.InvariantCulture), output],
            new FfmpegStartOptions { Timeout = TimeSpan.FromMinutes(2) }, CancellationToken.None);
        Assert.True(result.ExitCode == 0, result.StderrTail);
        return output;
    }
}

/// <summary>The stamped clip and its ledger, made once for the test class.</summary>
public sealed class RegisteredClipFixture : IAsyncLifetime
{
    public const ulong AssetId = 0x0f1e_2d3c_4b5a_6978UL;
    public static readonly WatermarkKey ServiceKey = WatermarkKey.FromBytes(SHA256.HashData("registered-clip-key"u8));
    private readonly TempFolder dir = new();
    private readonly FfmpegRunner runner = new();
    private TestDatabase? db;
    private TransparencyLog? log;
    private TestSigningCredentials? credentials;
    private SignedClip? signed;

    public TransparencyLog Log => log ?? throw new InvalidOperationException("not initialised");
    public SignedClip Signed => signed ?? throw new InvalidOperationException("not initialised");
    public string StampedClip { get; private set; } = "";
    public IReadOnlyList<ulong> RegisteredFingerprints { get; private set; } = [];

    public async Task InitializeAsync()
    {
        db = await PostgresCluster.CreateDatabaseAsync(migrate: true);
        var keys = CheckpointKeys.LoadOrCreate(dir.File("ledger-keys"), "test.local/ledger");
        log = await TransparencyLog.OpenAsync(db.DataSource,
            new LedgerOptions { Origin = "test.local/ledger", CheckpointInterval = TimeSpan.FromMilliseconds(50), BatchLinger = TimeSpan.FromMilliseconds(2) },
            keys, CancellationToken.None);
        credentials = TestSigningCredentials.Create();

        // Stamp: watermark every frame, encode, fingerprint the encoded file, sign, record.
        var encoded = await WatermarkedClipAsync(ServiceKey, AssetId, dir.File("encoded.mp4"));
        RegisteredFingerprints = await new ClipFingerprinter(runner).FingerprintAsync(encoded, CancellationToken.None);
        StampedClip = dir.File("stamped.mp4");
        using var signer = credentials.Signer();
        signed = await Mp4Embedder.SignAsync(encoded, StampedClip, new ClipManifest
        {
            Title = "stamped.mp4",
            Generator = new SoftwareAgent("Provenance generator (test)", "1.0.0"),
            SoftBindings = [new SoftBinding(ClipFingerprinter.Algorithm, ClipFingerprinter.ToBytes(RegisteredFingerprints), 0, 3000, "fingerprint")],
            CreatedAt = DateTimeOffset.UtcNow,
        }, signer, null, CancellationToken.None);
        // An unrelated record first, so the match is not simply "the only entry".
        await log.AppendAsync(RegisteredClipScanTests.Entry(0x1111_2222_3333_4444UL, SHA256.HashData("other manifest"u8), [0x0123_4567_89ab_cdefUL]), CancellationToken.None);
        await log.AppendAsync(RegisteredClipScanTests.Entry(AssetId, signed.ManifestStoreSha256, RegisteredFingerprints), CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (log is not null) await log.DisposeAsync();
        if (db is not null) await db.DisposeAsync();
        credentials?.Dispose();
        runner.Dispose();
        dir.Dispose();
    }

    private Task<string> WatermarkedClipAsync(WatermarkKey key, ulong payload, string output) =>
        DetectorClips.WatermarkedAsync(runner, key, payload, output);

    /// <summary>A throw-away CA (root, intermediate, claim signer) for signing the stamped clip.</summary>
    private sealed class TestSigningCredentials : IDisposable
    {
        private TestSigningCredentials(X509Certificate2 root,
            X509Certificate2 intermediate,
            X509Certificate2 leaf)
        {
            Root = root;
            Intermediate = intermediate;
            Leaf = leaf;
        }

        public X509Certificate2 Root { get; }
        public X509Certificate2 Intermediate { get; }
        public X509Certificate2 Leaf { get; }

        public static TestSigningCredentials Create()
        {
            var root = CertificateAuthority.CreateRoot("CN=Detector Test Root, O=Provenance Tests", SigningAlgorithm.Es256, TimeSpan.FromDays(2));
            var intermediate = CertificateAuthority.CreateIntermediate(root, "CN=Detector Test Intermediate, O=Provenance Tests", SigningAlgorithm.Es256, TimeSpan.FromDays(2));
            var leaf = CertificateAuthority.IssueClaimSigner(intermediate, "CN=Detector Test Signer, O=Provenance Tests", SigningAlgorithm.Es256, TimeSpan.FromDays(1));
            return new TestSigningCredentials(root, intermediate, leaf);
        }

        public X509Signer Signer() => new([Leaf, Intermediate], PemFiles.PrivateKeyOf(Leaf));

        public void Dispose()
        {
            Leaf.Dispose();
            Intermediate.Dispose();
            Root.Dispose();
        }
    }
}
