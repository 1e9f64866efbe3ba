using System.Text.Json;
using Provenance.Detector.Reports;
using Provenance.Detector.Scanning;
using Provenance.Detector.Tests.Classification;
using Provenance.Detector.Tests.Reports;
using Provenance.Signer.Certificates;
using Provenance.Testing;

namespace Provenance.Detector.Tests.Scanning;

[Collection(ShippedModelCollection.Name)]
public sealed class ScanPipelineTests(ShippedModelFixture fixture)
{
    // Every scan in these tests must end well within this; a hang fails the test instead of stalling the run.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    private ScanPipeline Pipeline(ScanComponents? components = null) => new(
        fixture.Sampler,
        components ?? new ScanComponents
        {
            Credentials = new C2paCredentialsCheck(TrustList.None),
            Classifier = new ClassifierStage(fixture.Classifier),
        },
        new ScanOptions { Timeout = TimeSpan.FromSeconds(60) });

    private async Task<ScanReport> ScanAsync(string path, ScanComponents? components = null)
    {
        using var cts = new CancellationTokenSource(Bound);
        var report = await Pipeline(components).ScanAsync(path, null, cts.Token);
        // Every report, however bad the input, follows the documented schema.
        var schema = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Of("docs", "scan-report.schema.json"))).RootElement;
        var errors = SubsetSchemaValidator.Validate(schema, JsonDocument.Parse(ScanReportJson.Serialize(report)).RootElement);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        return report;
    }

    [Fact]
    public async Task Scan_OrdinaryClip_ScoresEverySampledFrameAndReportsWhatWasNotChecked()
    {
        var clip = await DetectorClips.MandelbrotAsync(320, 240, 2, 25);
        var report = await ScanAsync(clip);
        Assert.Contains(report.Verdict, new[] { Verdict.LikelyAuthentic, Verdict.LikelySynthetic });
        Assert.Equal(CheckStatus.Checked, report.Input.Status);
        Assert.InRange(report.Input.FramesSampled, 7, 9); // 2 s at the default 4 frames/s
        Assert.Equal(report.Input.FramesSampled, report.Classifier.Timeline.Count);
        Assert.NotNull(report.Classifier.Score);
        Assert.Equal(CredentialsState.Absent, report.Credentials.State);
        Assert.Contains("No Content Credentials were found.", report.Reasons);
        Assert.Contains(report.Reasons, r => r.StartsWith("Watermark not checked", StringComparison.Ordinal));
        Assert.True(report.TimingsMs["total"] > 0);
        Assert.StartsWith("baseline-ganfaces", report.ToolVersions["model"]);
    }

    [Fact]
    public async Task Scan_WithoutAClassifier_AbstainsSayingWhy()
    {
        var clip = await DetectorClips.MandelbrotAsync(320, 240, 2, 25);
        var report = await ScanAsync(clip, new ScanComponents { MissingReasons = new Dictionary<string, string> { ["classifier"] = "no model configured" } });
        Assert.Equal(Verdict.Abstain, report.Verdict);
        Assert.Contains("no model configured", report.Reasons[0]);
    }

    [Fact]
    public async Task Scan_TextFile_IsAnErrorSayingItIsNotAVideo()
    {
        using var dir = new TempFolder();
        var report = await ScanAsync(BadInputs.Text(dir));
        Assert.Equal(Verdict.Error, report.Verdict);
        Assert.Contains("not a video", report.Input.Reason);
    }

    [Fact]
    public async Task Scan_EmptyFile_IsAnError()
    {
        using var dir = new TempFolder();
        var report = await ScanAsync(BadInputs.Empty(dir));
        Assert.Equal(Verdict.Error, report.Verdict);
        Assert.Equal(CheckStatus.Error, report.Input.Status);
        Assert.Equal(0, report.Input.SizeBytes);
    }

    [Fact]
    public async Task Scan_TruncatedFileWithoutIndex_IsAnErrorSayingItIsDamaged()
    {
        using var dir = new TempFolder();
        var report = await ScanAsync(await BadInputs.TruncatedWithoutIndex(dir));
        Assert.Equal(Verdict.Error, report.Verdict);
        Assert.NotNull(report.Input.Reason);
    }

    [Fact]
    public async Task Scan_TruncatedFastStartFile_ScoresTheFramesThatSurvive()
    {
        using var dir = new TempFolder();
        var report = await ScanAsync(await BadInputs.TruncatedAfterIndex(dir));
        Assert.Equal(CheckStatus.Checked, report.Input.Status);
        Assert.InRange(report.Input.FramesSampled, 0, 11); // the whole 3 s would give 12 at 4 frames/s
        Assert.NotEqual(Verdict.Error, report.Verdict);
    }

    [Fact]
    public async Task Scan_HeaderClaiming20000x20000_IsRefusedBeforeDecoding()
    {
        using var dir = new TempFolder();
        var report = await ScanAsync(BadInputs.HugeHeader(dir));
        Assert.Equal(Verdict.Error, report.Verdict);
        Assert.DoesNotContain("decode", report.TimingsMs.Keys);
    }

    [Fact]
    public async Task Scan_ClipClaimingTenHours_IsRefusedAsOverTheLimits()
    {
        using var dir = new TempFolder();
        var report = await ScanAsync(await BadInputs.TenHours(dir));
        Assert.Equal(Verdict.Error, report.Verdict);
        Assert.Contains("over the scan limits", report.Input.Reason);
    }

    [Fact]
    public async Task Scan_UnknownCodec_EndsInAnErrorOrAbstentionNamingTheDecodeProblem()
    {
        using var dir = new TempFolder();
        var report = await ScanAsync(await BadInputs.UnknownCodec(dir));
        Assert.Contains(report.Verdict, new[] { Verdict.Error, Verdict.Abstain });
        var text = string.Join(" ", report.Reasons);
        Assert.True(text.Contains("unsupported", StringComparison.OrdinalIgnoreCase) || text.Contains("no decodable frames", StringComparison.Ordinal), text);
    }

    [Fact]
    public async Task Scan_CorruptManifest_IsTamperedNamingTheFailedCheck()
    {
        using var dir = new TempFolder();
        var report = await ScanAsync(await BadInputs.CorruptManifest(dir));
        Assert.Equal(Verdict.Tampered, report.Verdict);
        Assert.Equal(CredentialsState.Invalid, report.Credentials.State);
        var failure = report.Credentials.Statuses.First(s => !s.Success);
        Assert.Contains(failure.Code, report.Reasons[0]);
        Assert.NotNull(report.Classifier.Score);
    }

    [Fact]
    public async Task Scan_OneFrameClip_AbstainsAsTooShort()
    {
        using var dir = new TempFolder();
        var report = await ScanAsync(await BadInputs.OneFrame(dir));
        Assert.Equal(Verdict.Abstain, report.Verdict);
        Assert.Contains("too short", report.Classifier.Reason);
    }

    [Fact]
    public async Task Scan_PartThatThrows_IsReportedAsAnErrorAndTheScanGoesOn()
    {
        var clip = await DetectorClips.MandelbrotAsync(320, 240, 2, 25);
        var report = await ScanAsync(clip, new ScanComponents
        {
            Classifier = new ClassifierStage(fixture.Classifier),
            Watermark = new ThrowingWatermark(),
        });
        Assert.Equal(CheckStatus.Error, report.Watermark.Status);
        Assert.Contains("extractor exploded", report.Watermark.Reason);
        Assert.NotNull(report.Classifier.Score);
    }

    [Fact]
    public async Task Scan_CallerCancels_Throws()
    {
        var clip = await DetectorClips.MandelbrotAsync(320, 240, 2, 25);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Pipeline().ScanAsync(clip, null, cts.Token));
    }

    private sealed class ThrowingWatermark : IWatermarkCheck
    {
        public Task<WatermarkSection> ExtractAsync(Provenance.Detector.Sampling.SampledVideo video, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("extractor exploded");
    }
}
