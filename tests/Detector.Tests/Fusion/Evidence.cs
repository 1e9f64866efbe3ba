using Provenance.Detector.Fusion;
using Provenance.Detector.Reports;

namespace Provenance.Detector.Tests.Fusion;

/// <summary>Builds scan evidence for fusion tests: start from "everything checked, nothing found" and change one part.</summary>
internal static class Evidence
{
    public static ScanEvidence Clean(double? classifierScore = 0.2, double threshold = 0.5) => new()
    {
        Input = new InputSection { Status = CheckStatus.Checked, FileName = "clip.mp4", Width = 640, Height = 360, DurationSeconds = 4 },
        Credentials = new CredentialsSection { Status = CheckStatus.Checked, State = CredentialsState.Absent },
        Watermark = new WatermarkSection { Status = CheckStatus.Checked, Found = false },
        Ledger = new LedgerSection { Status = CheckStatus.Checked },
        Fingerprint = new FingerprintSection { Status = CheckStatus.Checked },
        Classifier = new ClassifierSection
        {
            Status = CheckStatus.Checked,
            Model = new ModelSummary("baseline", "1", new string('0', 64), "full-frame"),
            Score = classifierScore,
            Threshold = threshold,
            ThresholdFpr = 0.01,
        },
    };

    public static ScanEvidence WithWatermark(this ScanEvidence e, double pValue = 1e-15, string payload = "00112233445566778899aabbccddeeff") =>
        e with { Watermark = new WatermarkSection { Status = CheckStatus.Checked, Found = pValue <= VerdictFusion.WatermarkPValueBound, Payload = payload, PValue = pValue } };

    public static ScanEvidence WithLedgerMatch(this ScanEvidence e, string matchedBy = "watermark", string assetId = "asset-42") =>
        e with
        {
            Ledger = new LedgerSection
            {
                Status = CheckStatus.Checked,
                Matches = [new LedgerMatch
                {
                    AssetId = assetId, MatchedBy = matchedBy, Generator = "demo-backend",
                    CreatedAt = new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero),
                    Receipt = new LedgerReceipt { Index = 7, TreeSize = 9 },
                }],
            },
        };

    public static ScanEvidence WithCredentials(this ScanEvidence e, CredentialsState state, bool declaresAi = false, params ValidationStatusEntry[] statuses) =>
        e with
        {
            Credentials = new CredentialsSection
            {
                Status = CheckStatus.Checked,
                State = state,
                Statuses = statuses,
                Manifest = state == CredentialsState.Absent ? null : new ManifestView
                {
                    Signer = "Example Newsroom",
                    ClaimGenerator = "example-generator/1.0",
                    DigitalSourceType = declaresAi ? "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia" : null,
                    DeclaresAiGeneration = declaresAi,
                },
            },
        };

    public static ScanEvidence WithFingerprintMatch(this ScanEvidence e, string assetId = "asset-7") =>
        e with { Fingerprint = new FingerprintSection { Status = CheckStatus.Checked, Matches = [new FingerprintMatch(assetId, 0.08, 12)] } };

    public static ValidationStatusEntry HashMismatch { get; } =
        new("assertion.bmffHash.mismatch", "self#jumbf=c2pa.assertions/c2pa.hash.bmff.v2", "hash of mdat differs", false);
}
