using Provenance.Detector.Reports;
using Provenance.Detector.Sampling;

namespace Provenance.Detector.Scanning;

// The parts of a scan that come from other areas, each behind a small interface. A part the host does not provide
// is reported as not checked, with a reason, and the verdict is fused from what remains.

/// <summary>Reads and validates the file's C2PA Content Credentials.</summary>
public interface ICredentialsCheck
{
    Task<CredentialsSection> CheckAsync(string path, CancellationToken cancellationToken);
}

/// <summary>Extracts the invisible watermark from the sampled frames.</summary>
public interface IWatermarkCheck
{
    Task<WatermarkSection> ExtractAsync(SampledVideo video, CancellationToken cancellationToken);
}

/// <summary>Looks the clip up in the ledger by watermark payload and by manifest.</summary>
public interface ILedgerLookup
{
    Task<LedgerSection> LookupAsync(WatermarkSection watermark, CredentialsSection credentials, CancellationToken cancellationToken);
}

/// <summary>Looks up registered clips whose perceptual fingerprints match the sampled frames.</summary>
public interface IFingerprintLookup
{
    Task<FingerprintSection> LookupAsync(SampledVideo video, CancellationToken cancellationToken);
}

/// <summary>Scores the sampled frames with a classifier.</summary>
public interface IClassifierStage
{
    /// <summary>Model name and version for the report's tool versions.</summary>
    string ModelVersion { get; }

    Task<ClassifierSection> ClassifyAsync(SampledVideo video, CancellationToken cancellationToken);
}

/// <summary>Progress of one scan, for command-line progress bars and job status.</summary>
public sealed record ScanProgress(string Stage, double Fraction);
