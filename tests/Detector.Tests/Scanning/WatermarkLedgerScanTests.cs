using System.Security.Cryptography;
using Provenance.Detector.Reports;
using Provenance.Detector.Sampling;
using Provenance.Detector.Scanning;
using Provenance.Ledger.Log;
using Provenance.Ledger.Notes;
using Provenance.Media;
using Provenance.Testing;
using Provenance.Testing.Postgres;
using Provenance.Watermark;

namespace Provenance.Detector.Tests.Scanning;

/// <summary>The stamp path's marks read back by a scan: real embedder, real x264 encode, real ledger on PostgreSQL.</summary>
public sealed class WatermarkLedgerScanTests : IAsyncLifetime
{
    private const ulong Payload = 0x5eed_0000_0000_0042UL;
    private static readonly WatermarkKey Key = WatermarkKey.FromBytes(SHA256.HashData("detector-tests-key"u8));
    private readonly TempFolder dir = new();
    private readonly FfmpegRunner runner = new();
    private string markedClip = "";

    public async Task InitializeAsync() => markedClip = await MarkedClipAsync(Key, Payload);

    public Task DisposeAsync()
    {
        runner.Dispose();
        dir.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Scan_MarkedClipWithALedgerRecord_IsGeneratedByThisServiceWithAReceipt()
    {
        await using var db = await PostgresCluster.CreateDatabaseAsync(migrate: true);
        var keys = CheckpointKeys.LoadOrCreate(dir.File("ledger-keys"), "test.local/ledger");
        await using var log = await TransparencyLog.OpenAsync(db.DataSource,
            new LedgerOptions { Origin = "test.local/ledger", CheckpointInterval = TimeSpan.FromMilliseconds(50), BatchLinger = TimeSpan.FromMilliseconds(2) },
            keys, CancellationToken.None);
        await log.AppendAsync(Entry(assetId: 0x1234_5678_9abc_def0UL, payload: 0x0bad_0000_0000_0001UL), CancellationToken.None);
        await log.AppendAsync(Entry(assetId: 0x00c0_ffee_0000_0007UL, payload: Payload), CancellationToken.None);

        var report = await ScanAsync(markedClip, new ScanComponents { Watermark = new WatermarkStage(Key), Ledger = new LedgerLookup(log.Reader) });

        Assert.Equal(Verdict.GeneratedByThisService, report.Verdict);
        Assert.True(report.Watermark.Found);
        Assert.Equal(WatermarkPayload.ToHex(Payload), report.Watermark.Payload);
        var match = Assert.Single(report.Ledger.Matches);
        Assert.Equal("00c0ffee00000007", match.AssetId);
        Assert.Equal("watermark", match.MatchedBy);
        Assert.Equal("test/detector", match.Generator);
        Assert.Equal(1, match.Receipt!.Index);
        Assert.True(match.Receipt.TreeSize >= 2);
        Assert.NotEmpty(match.Receipt.InclusionProof);
        Assert.StartsWith("test.local/ledger\n", match.Receipt.Checkpoint);
        Assert.Contains("00c0ffee00000007", report.Reasons[0]);
        Assert.Contains("test/detector", report.Reasons[0]);
    }

    [Fact]
    public async Task Scan_MarkedClipWithoutALedger_IsLikelySyntheticWithThePayload()
    {
        var report = await ScanAsync(markedClip, new ScanComponents { Watermark = new WatermarkStage(Key) });
        Assert.True(report.Watermark.Found);
        Assert.True(report.Watermark.PValue <= 1e-9);
        Assert.NotEmpty(report.Watermark.Segments);
        Assert.Equal(Verdict.LikelySynthetic, report.Verdict);
        Assert.Contains(WatermarkPayload.ToHex(Payload), report.Reasons[0]);
    }

    [Fact]
    public async Task Scan_MarkedClipUnderAnotherKey_FindsNoWatermark()
    {
        var other = WatermarkKey.FromBytes(SHA256.HashData("someone-else"u8));
        var report = await ScanAsync(markedClip, new ScanComponents { Watermark = new WatermarkStage(other) });
        Assert.Equal(CheckStatus.Checked, report.Watermark.Status);
        Assert.False(report.Watermark.Found);
        Assert.Null(report.Watermark.Payload);
    }

    [Fact]
    public async Task Scan_UnmarkedClip_FindsNoWatermarkAndTheLedgerIsNotAskedForAPayload()
    {
        var clip = await DetectorClips.MandelbrotAsync(640, 360, 3, 25);
        var report = await ScanAsync(clip, new ScanComponents { Watermark = new WatermarkStage(Key) });
        Assert.False(report.Watermark.Found);
        Assert.True(report.Watermark.PValue > 1e-9);
        Assert.NotEqual(Verdict.GeneratedByThisService, report.Verdict);
    }

    private async Task<ScanReport> ScanAsync(string path, ScanComponents components)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var pipeline = new ScanPipeline(new FrameSampler(runner), components, new ScanOptions());
        return await pipeline.ScanAsync(path, null, cts.Token);
    }

    private static LedgerEntry Entry(ulong assetId, ulong payload) => new()
    {
        AssetId = assetId,
        ManifestHash = SHA256.HashData(BitConverter.GetBytes(assetId)),
        ClaimSignatureHash = SHA256.HashData(BitConverter.GetBytes(~assetId)),
        SignerCertificateFingerprint = SHA256.HashData("signer"u8),
        WatermarkPayload = payload,
        GeneratorId = "test/detector",
    };

    private Task<string> MarkedClipAsync(WatermarkKey key, ulong payload) =>
        DetectorClips.WatermarkedAsync(runner, key, payload, dir.File("marked.mp4"));
}
