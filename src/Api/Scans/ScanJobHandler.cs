using System.Text.Json;
using Provenance.Api.Jobs;
using Provenance.Api.Ledger;
using Provenance.Api.Verify;
using Provenance.Detector.Classification;
using Provenance.Detector.Reports;
using Provenance.Detector.Scanning;
using Provenance.Media;

namespace Provenance.Api.Scans;

/// <summary>
/// Runs scan jobs: the detector's pipeline over the stored upload (Content Credentials against the service's trust
/// list, watermark with the service's key, ledger lookups, classifier). A bad upload still yields a report (verdict
/// <c>error</c> or <c>abstain</c>); only a missing upload fails the job.
/// </summary>
public sealed class ScanJobHandler(FfmpegRunner runner, LedgerProvider ledger, ServiceTrust trust, IConfiguration configuration)
    : IJobHandler, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (FrameClassifier? Classifier, string? Reason)? _classifier;

    public string Kind => JobKind.Scan;

    public async Task<object> RunAsync(JobContext context, CancellationToken ct)
    {
        var input = context.Input.Deserialize<ScanJobInput>(JobStore.Json)
            ?? throw new JobInputException("the job has no scan input");
        if (!File.Exists(input.UploadPath))
        {
            throw new JobInputException("the uploaded file is no longer stored (deleted after its retention period)");
        }
        var detectorOptions = DetectorOptions();
        var (classifier, missing) = await ClassifierAsync(detectorOptions, ct);
        var scanOptions = configuration.GetSection(ScanOptions.ConfigurationSection).Get<ScanOptions>() ?? new ScanOptions();
        if (input.Fps is { } fps)
        {
            scanOptions = scanOptions with { SampleRate = fps };
        }
        var dataDirectory = configuration["Provenance:DataDirectory"] ?? ".data";
        var pipeline = ScannerFactory.Create(runner, scanOptions, detectorOptions, classifier, missing,
            ScannerFactory.FindWatermarkKey(configuration[Provenance.Watermark.WatermarkKey.ConfigurationKey], dataDirectory),
            await ledger.GetReaderAsync(ct));
        var progress = new Progress<ScanProgress>(p => _ = context.ReportProgressAsync(p.Fraction, p.Stage));
        var report = await pipeline.ScanAsync(input.UploadPath, progress, ct);
        // Stored exactly as the documented ScanReport JSON (docs/scan-report.schema.json).
        return JobStore.Element(ScanReportJson.Serialize(report));
    }

    private DetectorOptions DetectorOptions()
    {
        var section = configuration.GetSection(Provenance.Detector.Scanning.DetectorOptions.ConfigurationSection);
        return new DetectorOptions
        {
            ModelPath = section["ModelPath"],
            TrustAnchorsPath = section["TrustAnchorsPath"] ?? trust.AnchorFiles.FirstOrDefault(),
        };
    }

    /// <summary>The classifier is loaded once and shared by every scan of this process.</summary>
    private async Task<(FrameClassifier? Classifier, string? Reason)> ClassifierAsync(DetectorOptions options, CancellationToken ct)
    {
        if (_classifier is { } loaded)
        {
            return loaded;
        }
        await _gate.WaitAsync(ct);
        try
        {
            _classifier ??= await ScannerFactory.LoadClassifierAsync(options, ct);
            return _classifier.Value;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _classifier?.Classifier?.Dispose();
}
