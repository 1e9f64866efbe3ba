using Provenance.Formats.Cbor;
using Provenance.Signer.C2pa;

namespace Provenance.Signer.Manifest;

/// <summary>The CBOR content of the assertions we write.</summary>
public static class Assertions
{
    /// <summary>The digital source type of AI edits to existing media.</summary>
    public const string CompositeWithTrainedAlgorithmicMedia = "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia";

    /// <summary>
    /// <c>c2pa.actions.v2</c>: one <c>c2pa.created</c> action for trained algorithmic media; or, for a clip made
    /// from a parent that had Content Credentials, <c>c2pa.opened</c> (the parent ingredient) then <c>c2pa.edited</c>.
    /// </summary>
    public static CborMap Actions(ClipManifest manifest, HashedUri? parentIngredient = null)
    {
        var agent = new CborMap { { "name", manifest.Generator.Name } };
        if (manifest.Generator.Version is { } version) agent.Add("version", version);
        if (manifest.Generator.Model is { } model) agent.Add("org.provenance.model", model);
        if (manifest.Generator.ModelVersion is { } modelVersion) agent.Add("org.provenance.model_version", modelVersion);
        var created = new CborMap
        {
            { "action", C2paLabels.Created },
            { "digitalSourceType", C2paLabels.TrainedAlgorithmicMedia },
            { "softwareAgent", agent },
        };
        if (manifest.CreatedAt is { } when) created.Add("when", when.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
        if (manifest.PromptSha256 is { } prompt)
            created.Add("parameters", new CborMap { { "org.provenance.prompt_sha256", Convert.ToHexStringLower(prompt) } });
        // The clip carries our invisible watermark, described by the soft-binding assertion(s).
        CborMap? watermarked = manifest.SoftBindings.Count == 0 ? null : new CborMap { { "action", C2paLabels.Watermarked } };
        if (parentIngredient is null)
            return new CborMap { { "actions", watermarked is null ? new CborArray([created]) : new CborArray([created, watermarked]) } };
        var opened = new CborMap
        {
            { "action", "c2pa.opened" },
            { "parameters", new CborMap { { "ingredients", new CborArray([parentIngredient.ToCbor()]) } } },
        };
        created["action"] = "c2pa.edited";
        created["digitalSourceType"] = CompositeWithTrainedAlgorithmicMedia;
        return new CborMap { { "actions", watermarked is null ? new CborArray([opened, created]) : new CborArray([opened, created, watermarked]) } };
    }

    /// <summary><c>c2pa.soft-binding</c> for one algorithm: a block per time span, the value base64-encoded.</summary>
    public static CborMap SoftBindingAssertion(string algorithm, IEnumerable<SoftBinding> bindings)
    {
        var blocks = new CborArray();
        string? name = null;
        foreach (var b in bindings)
        {
            name ??= b.Name;
            blocks.Add(new CborMap
            {
                { "scope", new CborMap { { "timespan", new CborMap { { "start", b.StartMilliseconds }, { "end", b.EndMilliseconds } } } } },
                { "value", Convert.ToBase64String(b.Value) },
            });
        }
        var map = new CborMap { { "alg", algorithm }, { "blocks", blocks }, { "pad", new CborByteString([]) } };
        if (name is not null) map.Add("name", name);
        return map;
    }

    /// <summary>
    /// <c>c2pa.hash.bmff.v3</c> with only the mandatory exclusions (<c>/uuid</c> holding C2PA data,
    /// <c>/ftyp</c>, <c>/mfra</c>): <c>/free</c> and <c>/skip</c> stay hashed.
    /// </summary>
    public static CborMap BmffHash(byte[] hash) => new()
    {
        {
            "exclusions", new CborArray([
                new CborMap { { "xpath", "/uuid" }, { "data", new CborArray([new CborMap { { "offset", 8 }, { "value", new CborByteString(C2paLabels.BmffUuid) } }]) } },
                new CborMap { { "xpath", "/ftyp" } },
                new CborMap { { "xpath", "/mfra" } },
            ])
        },
        { "alg", "sha256" },
        { "hash", new CborByteString(hash) },
        { "name", "jumbf manifest" },
    };
}
