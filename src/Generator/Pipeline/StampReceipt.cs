using System.Text.Json;
using System.Text.Json.Serialization;

namespace Provenance.Generator.Pipeline;

/// <summary>
/// The receipt written beside every released clip as <c>CLIP.receipt.json</c>: the asset id (the watermark
/// payload), the manifest hash, and the ledger's index, inclusion proof and checkpoint, so the record can
/// be verified offline; plus how the clip was made.
/// </summary>
public sealed record StampReceipt
{
    [JsonPropertyName("assetId")] public required string AssetId { get; init; }
    [JsonPropertyName("manifestHash")] public required string ManifestHash { get; init; }
    [JsonPropertyName("manifestLabel")] public required string ManifestLabel { get; init; }
    [JsonPropertyName("ledgerIndex")] public required long LedgerIndex { get; init; }
    [JsonPropertyName("inclusionProof")] public required IReadOnlyList<string> InclusionProof { get; init; }
    [JsonPropertyName("checkpoint")] public required string Checkpoint { get; init; }
    /// <summary>The ledger receipt in C2SP tlog-proof form: index, entry data, inclusion proof and checkpoint, verifiable offline.</summary>
    [JsonPropertyName("tlogProof")] public string? TlogProof { get; init; }
    [JsonPropertyName("backend")] public required string Backend { get; init; }
    [JsonPropertyName("device")] public required string Device { get; init; }
    [JsonPropertyName("encoder")] public required string Encoder { get; init; }
    [JsonPropertyName("model")] public required string Model { get; init; }
    [JsonPropertyName("width")] public required int Width { get; init; }
    [JsonPropertyName("height")] public required int Height { get; init; }
    [JsonPropertyName("fps")] public required int Fps { get; init; }
    [JsonPropertyName("frames")] public required long Frames { get; init; }
    [JsonPropertyName("fingerprints")] public required IReadOnlyList<string> Fingerprints { get; init; }
    [JsonPropertyName("createdAt")] public required DateTimeOffset CreatedAt { get; init; }

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static StampReceipt Parse(string json) =>
        JsonSerializer.Deserialize<StampReceipt>(json, Json) ?? throw new JsonException("empty receipt");

    /// <summary>The receipt path for a clip: <c>CLIP.receipt.json</c>.</summary>
    public static string PathFor(string clipPath) => clipPath + ".receipt.json";
}
