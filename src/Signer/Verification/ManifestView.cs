using System.Text.Json.Serialization;

namespace Provenance.Signer.Verification;

/// <summary>A readable view of a manifest: who made the claim, what it says, who signed it and when.</summary>
public sealed record ManifestView
{
    [JsonPropertyName("label")] public required string Label { get; init; }
    [JsonPropertyName("claimVersion")] public int ClaimVersion { get; init; }
    [JsonPropertyName("title")] public string? Title { get; init; }
    [JsonPropertyName("instanceId")] public string? InstanceId { get; init; }
    [JsonPropertyName("claimGenerator")] public IReadOnlyList<ClaimGeneratorView> ClaimGenerator { get; init; } = [];
    [JsonPropertyName("assertions")] public IReadOnlyList<string> Assertions { get; init; } = [];
    [JsonPropertyName("actions")] public IReadOnlyList<ActionView> Actions { get; init; } = [];
    [JsonPropertyName("softBindings")] public IReadOnlyList<SoftBindingView> SoftBindings { get; init; } = [];
    [JsonPropertyName("ingredients")] public IReadOnlyList<IngredientView> Ingredients { get; init; } = [];
    [JsonPropertyName("signature")] public SignatureView? Signature { get; init; }
}

public sealed record ClaimGeneratorView(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("version")] string? Version);

public sealed record ActionView(
    [property: JsonPropertyName("action")] string Action,
    [property: JsonPropertyName("digitalSourceType")] string? DigitalSourceType,
    [property: JsonPropertyName("softwareAgent")] string? SoftwareAgent,
    [property: JsonPropertyName("when")] string? When);

public sealed record SoftBindingView(
    [property: JsonPropertyName("alg")] string Algorithm,
    [property: JsonPropertyName("blocks")] int Blocks);

public sealed record IngredientView(
    [property: JsonPropertyName("title")] string? Title,
    [property: JsonPropertyName("format")] string? Format,
    [property: JsonPropertyName("relationship")] string? Relationship,
    [property: JsonPropertyName("activeManifest")] string? ActiveManifest);

public sealed record SignatureView
{
    [JsonPropertyName("alg")] public string? Algorithm { get; init; }
    [JsonPropertyName("subject")] public string? Subject { get; init; }
    [JsonPropertyName("issuer")] public string? Issuer { get; init; }
    [JsonPropertyName("commonName")] public string? CommonName { get; init; }
    [JsonPropertyName("serialNumber")] public string? SerialNumber { get; init; }
    /// <summary>The time-stamp's time when a valid time-stamp is present, else null.</summary>
    [JsonPropertyName("signingTime")] public DateTimeOffset? SigningTime { get; init; }
    [JsonPropertyName("timeStamped")] public bool TimeStamped { get; init; }
}
