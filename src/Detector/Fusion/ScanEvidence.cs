using Provenance.Detector.Reports;

namespace Provenance.Detector.Fusion;

/// <summary>What every part of a scan found, each with its own status; the input to <see cref="VerdictFusion"/>.</summary>
public sealed record ScanEvidence
{
    public required InputSection Input { get; init; }
    public required CredentialsSection Credentials { get; init; }
    public required WatermarkSection Watermark { get; init; }
    public required LedgerSection Ledger { get; init; }
    public required FingerprintSection Fingerprint { get; init; }
    public required ClassifierSection Classifier { get; init; }

    /// <summary>Evidence where nothing but the probe ran: every other part is not checked, with the given reason.</summary>
    public static ScanEvidence NothingChecked(InputSection input, string reason) => new()
    {
        Input = input,
        Credentials = new CredentialsSection { Status = CheckStatus.NotChecked, Reason = reason, State = CredentialsState.NotChecked },
        Watermark = new WatermarkSection { Status = CheckStatus.NotChecked, Reason = reason },
        Ledger = new LedgerSection { Status = CheckStatus.NotChecked, Reason = reason },
        Fingerprint = new FingerprintSection { Status = CheckStatus.NotChecked, Reason = reason },
        Classifier = new ClassifierSection { Status = CheckStatus.NotChecked, Reason = reason },
    };
}

/// <summary>The verdict and the sentences that justify it.</summary>
public sealed record FusionOutcome(Verdict Verdict, IReadOnlyList<string> Reasons);
