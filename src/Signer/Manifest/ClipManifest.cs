namespace Provenance.Signer.Manifest;

/// <summary>A software agent: the generator that made the clip, with the model it ran.</summary>
public sealed record SoftwareAgent(string Name, string? Version = null, string? Model = null, string? ModelVersion = null);

/// <summary>
/// A soft binding carried in <c>c2pa.soft-binding</c>: an algorithm identifier (e.g. our watermark or
/// perceptual fingerprint) and its value over a time span of the clip (milliseconds).
/// </summary>
public sealed record SoftBinding(string Algorithm, byte[] Value, long StartMilliseconds, long EndMilliseconds, string? Name = null);

/// <summary>
/// What the manifest of an AI-generated clip says: the claim generator, the generator and model that
/// created it, the soft bindings (watermark payload, fingerprint). Personal data (prompts, user ids) is
/// not part of it; callers that want a prompt on record put a hash in <see cref="PromptSha256"/>.
/// </summary>
public sealed record ClipManifest
{
    public required string Title { get; init; }
    public string Format { get; init; } = "video/mp4";
    /// <summary>The product writing the claim (<c>claim_generator_info.name</c>).</summary>
    public string ClaimGeneratorName { get; init; } = "Provenance";
    public string? ClaimGeneratorVersion { get; init; } = typeof(ClipManifest).Assembly.GetName().Version?.ToString(3);
    /// <summary>The generator and model that produced the frames (the <c>c2pa.created</c> action's softwareAgent).</summary>
    public required SoftwareAgent Generator { get; init; }
    public IReadOnlyList<SoftBinding> SoftBindings { get; init; } = [];
    /// <summary>When the clip was created; written as the created action's <c>when</c>.</summary>
    public DateTimeOffset? CreatedAt { get; init; }
    /// <summary>Optional SHA-256 of the prompt (never the prompt itself).</summary>
    public byte[]? PromptSha256 { get; init; }
}
