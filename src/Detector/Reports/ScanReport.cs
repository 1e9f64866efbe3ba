namespace Provenance.Detector.Reports;

/// <summary>
/// The result of one scan: a verdict with the reasons behind it, and what each part of the scan found. Serialised
/// with <see cref="ScanReportJson"/> (camelCase keys); the schema is docs/scan-report.schema.json. Keys named in
/// that schema are stable within a major <see cref="SchemaVersion"/>; new keys may appear in minor versions.
/// </summary>
public sealed record ScanReport
{
    /// <summary>The version of the report's schema written by this code.</summary>
    public const string CurrentSchemaVersion = "1.2";

    public string SchemaVersion { get; init; } = CurrentSchemaVersion;

    public required Verdict Verdict { get; init; }

    /// <summary>Sentences explaining the verdict, most important first.</summary>
    public required IReadOnlyList<string> Reasons { get; init; }

    public required InputSection Input { get; init; }
    public required CredentialsSection Credentials { get; init; }
    public required WatermarkSection Watermark { get; init; }
    public required LedgerSection Ledger { get; init; }
    public required FingerprintSection Fingerprint { get; init; }
    public required ClassifierSection Classifier { get; init; }

    /// <summary>Wall-clock milliseconds per stage (probe, credentials, decode, watermark, ledger, fingerprint, classifier, total).</summary>
    public required IReadOnlyDictionary<string, double> TimingsMs { get; init; }

    /// <summary>Versions of the tools that took part (provenance, ffmpeg, onnxruntime, model).</summary>
    public required IReadOnlyDictionary<string, string> ToolVersions { get; init; }

    public DateTimeOffset ScannedAt { get; init; } = DateTimeOffset.UtcNow;
}

/// <summary>What was scanned, as probed.</summary>
public sealed record InputSection
{
    public required CheckStatus Status { get; init; }
    public string? Reason { get; init; }
    public string? FileName { get; init; }
    public long SizeBytes { get; init; }
    public string? Container { get; init; }
    public string? VideoCodec { get; init; }
    public int Width { get; init; }
    public int Height { get; init; }
    public double DurationSeconds { get; init; }
    public double FrameRate { get; init; }

    /// <summary>Frames decoded for analysis, and the rate they were sampled at.</summary>
    public int FramesSampled { get; init; }
    public double SampleRate { get; init; }
}
