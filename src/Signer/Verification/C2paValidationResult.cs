using System.Text.Json.Serialization;

namespace Provenance.Signer.Verification;

/// <summary>The verdict on a file's Content Credentials.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<C2paState>))]
public enum C2paState
{
    /// <summary>No C2PA manifest store in the file.</summary>
    Absent,
    /// <summary>A manifest store is present but fails validation (or cannot be read).</summary>
    Invalid,
    /// <summary>Signature validated and inside validity; the only failure may be an untrusted signer.</summary>
    Valid,
    /// <summary>Valid, and the signer chains to a configured trust anchor, with no failures.</summary>
    Trusted,
}

[JsonConverter(typeof(JsonStringEnumConverter<ValidationStatusKind>))]
public enum ValidationStatusKind { Success, Informational, Failure }

/// <summary>One validation result: a C2PA status code, the JUMBF URI it concerns and a readable explanation.</summary>
public sealed record ValidationStatus(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("url")] string? Url,
    [property: JsonPropertyName("explanation")] string Explanation)
{
    [JsonPropertyName("kind")]
    public ValidationStatusKind Kind => ValidationCodes.KindOf(Code);
}

/// <summary>The outcome of verifying a file: state, every status, and a view of the active manifest.</summary>
public sealed record C2paValidationResult(
    [property: JsonPropertyName("state")] C2paState State,
    [property: JsonPropertyName("statuses")] IReadOnlyList<ValidationStatus> Statuses,
    [property: JsonPropertyName("activeManifest")] ManifestView? ActiveManifest)
{
    public IEnumerable<ValidationStatus> Failures => Statuses.Where(s => s.Kind == ValidationStatusKind.Failure);

    public bool Has(string code) => Statuses.Any(s => s.Code == code);

    /// <summary>The state the statuses imply (C2PA.md: Valid tolerates only signingCredential.untrusted).</summary>
    public static C2paState StateOf(IReadOnlyList<ValidationStatus> statuses)
    {
        var failures = statuses.Where(s => s.Kind == ValidationStatusKind.Failure).Select(s => s.Code).ToList();
        bool signed = statuses.Any(s => s.Code == ValidationCodes.ClaimSignatureValidated)
            && statuses.Any(s => s.Code == ValidationCodes.ClaimSignatureInsideValidity);
        if (!signed || failures.Any(f => f != ValidationCodes.SigningCredentialUntrusted)) return C2paState.Invalid;
        return failures.Count == 0 && statuses.Any(s => s.Code == ValidationCodes.SigningCredentialTrusted) ? C2paState.Trusted : C2paState.Valid;
    }
}
