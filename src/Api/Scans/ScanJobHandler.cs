using System.Text.Json;
using Provenance.Api.Jobs;
using Provenance.Detector.Reports;
using Provenance.Detector.Scanning;

namespace Provenance.Api.Scans;

/// <summary>
/// Runs scan jobs: the detector's pipeline from <see cref="ScanServices"/> over the stored upload (Content Credentials
/// against the service's trust list, watermark with the service's key, ledger lookups by payload, manifest hash and
/// perceptual fingerprints, classifier). A bad upload still yields a report (verdict <c>error</c> or <c>abstain</c>);
/// only a missing upload fails the job.
/// </summary>
public sealed class ScanJobHandler(ScanServices scans, ILogger<ScanJobHandler> logger) : IJobHandler
{
    public string Kind => JobKind.Scan;

    public async Task<object> RunAsync(JobContext context, CancellationToken ct)
    {
        var input = context.Input.Deserialize<ScanJobInput>(JobStore.Json)
            ?? throw new JobInputException("the job has no scan input");
        if (!File.Exists(input.UploadPath))
        {
            throw new JobInputException("the uploaded file is no longer stored (deleted after its retention period)");
        }
        var pipeline = await scans.CreatePipelineAsync(new ScanSetup { SampleRate = input.Fps },
            problem => logger.LogWarning("scan job: {Problem}; scanning without it", problem), ct);
        var progress = new Progress<ScanProgress>(p => _ = context.ReportProgressAsync(p.Fraction, p.Stage));
        var report = await pipeline.ScanAsync(input.UploadPath, progress, ct);
        // Stored exactly as the documented ScanReport JSON (docs/scan-report.schema.json).
        return JobStore.Element(ScanReportJson.Serialize(report));
    }
}
