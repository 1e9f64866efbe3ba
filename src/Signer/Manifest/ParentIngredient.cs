using System.Security.Cryptography;
using Provenance.Formats.Cbor;
using Provenance.Formats.Jumbf;
using Provenance.Signer.C2pa;
using Provenance.Signer.Verification;

namespace Provenance.Signer.Manifest;

/// <summary>
/// A clip that already carried Content Credentials: its manifests are kept (byte for byte) in the new store and
/// its active manifest becomes the <c>parentOf</c> ingredient of the new one.
/// </summary>
internal sealed class ParentIngredient
{
    private ParentIngredient(IReadOnlyList<JumbfBox> manifests, string activeLabel, byte[] activeManifestHash, byte[] signatureHash,
        string? title, IReadOnlyList<ValidationStatus> statuses)
    {
        Manifests = manifests;
        ActiveLabel = activeLabel;
        ActiveManifestHash = activeManifestHash;
        SignatureHash = signatureHash;
        Title = title;
        Statuses = statuses;
    }

    /// <summary>The parent store's manifests, as their original bytes.</summary>
    public IReadOnlyList<JumbfBox> Manifests { get; }
    public string ActiveLabel { get; }
    public byte[] ActiveManifestHash { get; }
    public byte[] SignatureHash { get; }
    public string? Title { get; }
    public IReadOnlyList<ValidationStatus> Statuses { get; }

    /// <summary>The parent from a manifest store, or null when the store cannot be carried over intact.</summary>
    public static ParentIngredient? FromStore(byte[] store, C2paValidationResult validation)
    {
        try
        {
            var root = JumbfReader.Read(store);
            var manifests = root.SuperBoxes.Where(b => b.TypeId == JumbfTypes.StandardManifest || b.TypeId == JumbfTypes.UpdateManifest).ToList();
            if (manifests.Count == 0 || manifests[^1].Label is not { } label) return null;
            var raw = new List<JumbfBox>();
            foreach (var manifest in manifests)
            {
                // The original bytes travel as an opaque box so that every hash and signature in them stays valid.
                if (manifest.Original.Length < 8 || System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(manifest.Original.Span) == 1) return null;
                raw.Add(new JumbfContentBox(JumbfBoxTypes.SuperBox, manifest.Original[8..].ToArray()));
            }
            var signature = manifests[^1].FindChild(C2paLabels.Signature);
            if (signature is null) return null;
            return new ParentIngredient(raw, label, SHA256.HashData(manifests[^1].ContentsForHashing().Span),
                SHA256.HashData(signature.ContentsForHashing().Span), validation.ActiveManifest?.Title, validation.Statuses);
        }
        catch (JumbfException)
        {
            return null;
        }
    }

    /// <summary>The <c>c2pa.ingredient.v3</c> assertion for this parent.</summary>
    public CborMap Assertion(string format)
    {
        var results = new CborMap
        {
            { "success", Codes(ValidationStatusKind.Success) },
            { "informational", Codes(ValidationStatusKind.Informational) },
            { "failure", Codes(ValidationStatusKind.Failure) },
        };
        var map = new CborMap
        {
            { "relationship", "parentOf" },
            { "dc:format", format },
            { "activeManifest", new HashedUri($"self#jumbf=/{C2paLabels.ManifestStore}/{ActiveLabel}", ActiveManifestHash).ToCbor() },
            { "claimSignature", new HashedUri(C2paLabels.AbsoluteUri(ActiveLabel, C2paLabels.Signature), SignatureHash).ToCbor() },
            { "validationResults", new CborMap { { "activeManifest", results } } },
        };
        if (Title is not null) map.Add("dc:title", Title);
        return map;
    }

    private CborArray Codes(ValidationStatusKind kind)
    {
        var list = new CborArray();
        foreach (var s in Statuses.Where(s => s.Kind == kind))
        {
            var entry = new CborMap { { "code", s.Code }, { "explanation", s.Explanation } };
            if (s.Url is not null) entry.Add("url", s.Url);
            list.Add(entry);
        }
        return list;
    }
}
