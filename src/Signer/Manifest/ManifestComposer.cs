using System.Security.Cryptography;
using Provenance.Formats.Cbor;
using Provenance.Formats.Cose;
using Provenance.Formats.Jumbf;
using Provenance.Signer.C2pa;
using Provenance.Signer.Signing;

namespace Provenance.Signer.Manifest;

/// <summary>
/// Assembles one standard manifest (assertion store, claim v2, claim signature) and the manifest store
/// around it. Every piece has a fixed size once the signer is known, so the store can be placed in the
/// file before the media hash is known and rewritten in place afterwards.
/// </summary>
internal sealed class ManifestComposer
{
    private readonly List<(string Label, CborValue Content)> _assertions = [];
    private readonly ClipManifest _manifest;
    private readonly int _bmffIndex;

    private readonly ParentIngredient? _parent;

    public ManifestComposer(ClipManifest manifest, ParentIngredient? parent = null)
    {
        _manifest = manifest;
        _parent = parent;
        Label = $"urn:c2pa:{Guid.NewGuid():D}";
        InstanceId = $"xmp:iid:{Guid.NewGuid():D}";
        HashedUri? ingredientUri = null;
        if (parent is not null)
        {
            var ingredient = parent.Assertion(manifest.Format);
            _assertions.Add((C2paLabels.IngredientV3, ingredient));
            var box = new JumbfSuperBox(JumbfTypes.Cbor, C2paLabels.IngredientV3, JumbfContentBox.Cbor(ingredient.Encode()));
            ingredientUri = new HashedUri(C2paLabels.AssertionUri(C2paLabels.IngredientV3), SHA256.HashData(box.EncodeContents()));
        }
        _assertions.Add((C2paLabels.ActionsV2, Assertions.Actions(manifest, ingredientUri)));
        var groups = manifest.SoftBindings.GroupBy(b => b.Algorithm, StringComparer.Ordinal).ToList();
        for (int i = 0; i < groups.Count; i++)
        {
            // Several soft-binding assertions get instance suffixes (c2pa.soft-binding__1, ...).
            var label = i == 0 ? C2paLabels.SoftBinding : $"{C2paLabels.SoftBinding}__{i}";
            _assertions.Add((label, Assertions.SoftBindingAssertion(groups[i].Key, groups[i])));
        }
        _bmffIndex = _assertions.Count;
        _assertions.Add((C2paLabels.BmffHashV3, Assertions.BmffHash(new byte[32])));
    }

    public string Label { get; }
    public string InstanceId { get; }

    public void SetBmffHash(byte[] hash) => _assertions[_bmffIndex] = (C2paLabels.BmffHashV3, Assertions.BmffHash(hash));

    /// <summary>The claim v2 CBOR referencing every assertion by hashed URI, and the assertion superboxes.</summary>
    public byte[] Claim(out JumbfSuperBox[] assertionBoxes)
    {
        assertionBoxes = _assertions.Select(a => new JumbfSuperBox(JumbfTypes.Cbor, a.Label, JumbfContentBox.Cbor(a.Content.Encode()))).ToArray();
        var created = new CborArray();
        for (int i = 0; i < _assertions.Count; i++)
            created.Add(new HashedUri(C2paLabels.AssertionUri(_assertions[i].Label), SHA256.HashData(assertionBoxes[i].EncodeContents())).ToCbor());
        var generator = new CborMap { { "name", _manifest.ClaimGeneratorName } };
        if (_manifest.ClaimGeneratorVersion is { } v) generator.Add("version", v);
        var claim = new CborMap
        {
            { "instanceID", InstanceId },
            { "claim_generator_info", generator },
            { "signature", C2paLabels.AbsoluteUri(Label, C2paLabels.Signature) },
            { "created_assertions", created },
            { "dc:title", _manifest.Title },
            { "alg", "sha256" },
        };
        return claim.Encode();
    }

    /// <summary>The manifest store: earlier manifests (e.g. a parent's) first, this one last (active).</summary>
    public byte[] Store(byte[] claim, JumbfSuperBox[] assertionBoxes, byte[] signature)
    {
        IReadOnlyList<JumbfBox> earlierManifests = _parent?.Manifests ?? [];
        var manifest = new JumbfSuperBox(JumbfTypes.StandardManifest, Label,
            new JumbfSuperBox(JumbfTypes.AssertionStore, C2paLabels.AssertionStore, assertionBoxes),
            new JumbfSuperBox(JumbfTypes.Claim, C2paLabels.ClaimV2, JumbfContentBox.Cbor(claim)),
            new JumbfSuperBox(C2paLabels.SignatureType, C2paLabels.Signature, JumbfContentBox.Cbor(signature)));
        return new JumbfSuperBox(JumbfTypes.ManifestStore, C2paLabels.ManifestStore, [.. earlierManifests, manifest]).Encode();
    }

    public static CoseSigner CoseSignerFor(ISigner signer) =>
        new((CoseAlgorithm)signer.CoseAlgorithm, toBeSigned => signer.Sign(toBeSigned), signer.Chain.Select(c => c.RawData).ToList());

    /// <summary>The size of the signature without padding or time-stamp (same protected header, a zero signature).</summary>
    public static int UnpaddedSignatureSize(ISigner signer)
    {
        var sizing = new CoseSigner((CoseAlgorithm)signer.CoseAlgorithm, _ => new byte[signer.ReservedSignatureSize], signer.Chain.Select(c => c.RawData).ToList());
        return CoseSign1.CreateDetached([], sizing).Encode().Length;
    }

    /// <summary>A signature-sized placeholder: a zero signature padded to <paramref name="size"/> bytes.</summary>
    public static byte[] PlaceholderSignature(ISigner signer, int size)
    {
        var sizing = new CoseSigner((CoseAlgorithm)signer.CoseAlgorithm, _ => new byte[signer.ReservedSignatureSize], signer.Chain.Select(c => c.RawData).ToList());
        return CoseSign1.CreateDetached([], sizing).EncodePadded(size);
    }
}
