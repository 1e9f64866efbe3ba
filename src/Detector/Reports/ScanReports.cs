using Provenance.Detector.Fusion;

namespace Provenance.Detector.Reports;

/// <summary>Builds a <see cref="ScanReport"/> from the evidence and the fusion outcome.</summary>
public static class ScanReports
{
    public static ScanReport Assemble(ScanEvidence evidence, FusionOutcome outcome,
        IReadOnlyDictionary<string, double> timingsMs, IReadOnlyDictionary<string, string> toolVersions)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        ArgumentNullException.ThrowIfNull(outcome);
        return new ScanReport
        {
            Verdict = outcome.Verdict,
            Reasons = outcome.Reasons,
            Input = evidence.Input,
            Credentials = evidence.Credentials,
            Watermark = evidence.Watermark,
            Ledger = evidence.Ledger,
            Fingerprint = evidence.Fingerprint,
            Classifier = evidence.Classifier,
            TimingsMs = timingsMs,
            ToolVersions = toolVersions,
        };
    }
}
