using System.Text.Json.Serialization;

namespace Provenance.Detector.Reports;

/// <summary>
/// The short code a scan ends with. Serialised as the kebab-case string shown on each member; scripts match on
/// these strings, so they never change meaning within a schema major version.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<Verdict>))]
public enum Verdict
{
    /// <summary>Our watermark was found and the ledger names the asset: this service generated the clip.</summary>
    [JsonStringEnumMemberName("generated-by-this-service")] GeneratedByThisService,

    /// <summary>Valid, trusted Content Credentials declare the content as AI-generated.</summary>
    [JsonStringEnumMemberName("ai-generated-declared")] AiGeneratedDeclared,

    /// <summary>Content Credentials are present but fail validation.</summary>
    [JsonStringEnumMemberName("tampered")] Tampered,

    /// <summary>A perceptual fingerprint matches a registered clip although no watermark was found.</summary>
    [JsonStringEnumMemberName("likely-derived")] LikelyDerived,

    /// <summary>The classifier's calibrated score is at or above its threshold (or an unregistered watermark was found).</summary>
    [JsonStringEnumMemberName("likely-synthetic")] LikelySynthetic,

    /// <summary>The classifier's calibrated score is below its threshold and nothing else speaks for generation.</summary>
    [JsonStringEnumMemberName("likely-authentic")] LikelyAuthentic,

    /// <summary>No decisive evidence and the classifier could not give a score it stands behind.</summary>
    [JsonStringEnumMemberName("abstain")] Abstain,

    /// <summary>The input could not be examined (not a video, truncated, unsupported, over the limits).</summary>
    [JsonStringEnumMemberName("error")] Error,
}

/// <summary>Whether a part of the scan ran. Serialised as <c>checked</c>, <c>not-checked</c>, <c>error</c>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CheckStatus>))]
public enum CheckStatus
{
    [JsonStringEnumMemberName("checked")] Checked,
    [JsonStringEnumMemberName("not-checked")] NotChecked,
    [JsonStringEnumMemberName("error")] Error,
}

/// <summary>
/// The state of the Content Credentials found in the file (<c>credentials.state</c>). <c>not-checked</c> and
/// <c>error</c> mirror the part's status so that one key answers the question.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<CredentialsState>))]
public enum CredentialsState
{
    /// <summary>No C2PA manifest store in the file.</summary>
    [JsonStringEnumMemberName("absent")] Absent,

    /// <summary>Every validation check passed and the signer chains to a trust anchor.</summary>
    [JsonStringEnumMemberName("valid")] Valid,

    /// <summary>Well formed and intact, but the signer is not on the trust list.</summary>
    [JsonStringEnumMemberName("valid-untrusted")] ValidUntrusted,

    /// <summary>A manifest is present and at least one integrity or signature check failed.</summary>
    [JsonStringEnumMemberName("invalid")] Invalid,

    [JsonStringEnumMemberName("not-checked")] NotChecked,
    [JsonStringEnumMemberName("error")] Error,
}
