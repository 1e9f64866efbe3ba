namespace Provenance.Detector.Reports;

/// <summary>C2PA Content Credentials: read, validated, and summarised.</summary>
public sealed record CredentialsSection
{
    public required CheckStatus Status { get; init; }
    public string? Reason { get; init; }
    public required CredentialsState State { get; init; }

    /// <summary>Validation status entries with the C2PA codes (success, informational and failure).</summary>
    public IReadOnlyList<ValidationStatusEntry> Statuses { get; init; } = [];

    /// <summary>A readable view of the active manifest, when one was found.</summary>
    public ManifestView? Manifest { get; init; }

    /// <summary>SHA-256 (lowercase hex) of the embedded manifest store, the value the ledger records for a stamped
    /// clip; null when the file holds no readable manifest store.</summary>
    public string? ManifestHash { get; init; }
}

/// <summary>One C2PA validation status: its code (e.g. <c>assertion.bmffHash.mismatch</c>), where, and why.</summary>
public sealed record ValidationStatusEntry(string Code, string? Url, string? Explanation, bool Success);

/// <summary>The facts of a manifest a person needs: who signed it, when, with what tool, and what it declares.</summary>
public sealed record ManifestView
{
    public string? Label { get; init; }
    public string? ClaimGenerator { get; init; }
    public string? Title { get; init; }
    public string? Signer { get; init; }
    public DateTimeOffset? SignedAt { get; init; }
    public IReadOnlyList<string> Actions { get; init; } = [];

    /// <summary>The IPTC digital source type declared by the actions, e.g. <c>trainedAlgorithmicMedia</c>.</summary>
    public string? DigitalSourceType { get; init; }

    /// <summary>True when the declared source type says the content was made by a trained algorithm.</summary>
    public bool DeclaresAiGeneration { get; init; }
}

/// <summary>The invisible watermark: whether our mark was found, its payload and how unlikely a chance match is.</summary>
public sealed record WatermarkSection
{
    public required CheckStatus Status { get; init; }
    public string? Reason { get; init; }
    public bool Found { get; init; }

    /// <summary>The decoded payload as lower-case hex (the asset id the generator embedded), or null.</summary>
    public string? Payload { get; init; }

    /// <summary>Probability of seeing a match this strong in an unmarked clip. Found means p ≤ the detection bound.</summary>
    public double? PValue { get; init; }

    /// <summary>How the picture is turned relative to the marked clip when the mark was found
    /// (<c>upright</c>, <c>mirrored</c>, <c>upside-down</c>, <c>mirrored-upside-down</c>), else null.</summary>
    public string? Orientation { get; init; }

    public IReadOnlyList<WatermarkSegment> Segments { get; init; } = [];
}

/// <summary>The watermark result over one stretch of the clip.</summary>
public sealed record WatermarkSegment(double StartSeconds, double EndSeconds, bool Found, string? Payload, double? PValue);

/// <summary>Ledger records that match the clip, by watermark payload or by manifest.</summary>
public sealed record LedgerSection
{
    public required CheckStatus Status { get; init; }
    public string? Reason { get; init; }
    public IReadOnlyList<LedgerMatch> Matches { get; init; } = [];
}

/// <summary>One ledger record: the asset, how it was matched, and the receipt that proves it is in the log.</summary>
public sealed record LedgerMatch
{
    public required string AssetId { get; init; }

    /// <summary><c>watermark</c>, <c>manifest</c> or <c>fingerprint</c>.</summary>
    public required string MatchedBy { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    public string? Generator { get; init; }
    public LedgerReceipt? Receipt { get; init; }
}

/// <summary>An inclusion receipt: the entry's index, its proof hashes and the checkpoint they lead to.</summary>
public sealed record LedgerReceipt
{
    public long Index { get; init; }
    public long TreeSize { get; init; }
    public IReadOnlyList<string> InclusionProof { get; init; } = [];
    public string? Checkpoint { get; init; }
}

/// <summary>Perceptual fingerprint lookup: registered clips that look like this one.</summary>
public sealed record FingerprintSection
{
    public required CheckStatus Status { get; init; }
    public string? Reason { get; init; }

    /// <summary>Sampled frames fingerprinted and looked up (nearly uniform frames are left out: they match anything).</summary>
    public int FramesCompared { get; init; }

    /// <summary>Largest Hamming distance (of 64 bits) counted as a match.</summary>
    public int? MaxDistance { get; init; }
    public IReadOnlyList<FingerprintMatch> Matches { get; init; } = [];
}

/// <summary>
/// A registered clip whose fingerprints are within the match distance of sampled frames: the smallest distance in bits,
/// how many compared frames matched it, and its ledger record.
/// </summary>
public sealed record FingerprintMatch(string AssetId, double Distance, int MatchedFrames)
{
    /// <summary>The ledger entry's index (the log position of the registered clip).</summary>
    public long? LedgerIndex { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    public string? Generator { get; init; }
}

/// <summary>The ONNX classifier: which model, its clip score against its calibrated threshold, and the timeline.</summary>
public sealed record ClassifierSection
{
    public required CheckStatus Status { get; init; }
    public string? Reason { get; init; }

    /// <summary>True when the classifier ran but declined to give a score (too short, too small, out of domain).</summary>
    public bool Abstained { get; init; }
    public ModelSummary? Model { get; init; }

    /// <summary>The clip score in [0, 1], higher meaning more likely synthetic, or null when none was given.</summary>
    public double? Score { get; init; }
    public double? Threshold { get; init; }

    /// <summary>The false-positive rate the threshold was calibrated for.</summary>
    public double? ThresholdFpr { get; init; }

    /// <summary>How frame scores became the clip score, in words (e.g. "mean of frame scores").</summary>
    public string? Aggregation { get; init; }

    /// <summary>What the score means, in a sentence a person can act on.</summary>
    public string? Meaning { get; init; }
    public IReadOnlyList<FrameScore> Timeline { get; init; } = [];
}

/// <summary>The model that scored the clip, as its card names it.</summary>
public sealed record ModelSummary(string Name, string Version, string Sha256, string Input);

/// <summary>The classifier's score for one sampled frame, with the faces found in it (face-crop models).</summary>
public sealed record FrameScore
{
    public required int FrameIndex { get; init; }
    public required double TimeSeconds { get; init; }
    public required double Score { get; init; }
    public IReadOnlyList<FaceScore> Faces { get; init; } = [];
}

/// <summary>A face box in frame pixels, the detector's confidence and the classifier's score for that crop.</summary>
public sealed record FaceScore(int X, int Y, int Width, int Height, double Confidence, double Score);
