using System.Security.Cryptography;
using Provenance.Formats.Cbor;
using Provenance.Signer.C2pa;
using Provenance.Signer.Interim;
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

    public ManifestComposer(ClipManifest manifest, int signatureReservation)
    {
        _manifest = manifest;
        Label = $"urn:c2pa:{Guid.NewGuid():D}";
        InstanceId = $"xmp:iid:{Guid.NewGuid():D}";
        SignatureReservation = signatureReservation;
        _assertions.Add((C2paLabels.ActionsV2, Assertions.Actions(manifest)));
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
    public int SignatureReservation { get; }

    public void SetBmffHash(byte[] hash) => _assertions[_bmffIndex] = (C2paLabels.BmffHashV3, Assertions.BmffHash(hash));

    /// <summary>The claim v2 CBOR referencing every assertion by hashed URI.</summary>
    public byte[] Claim(out byte[][] assertionBoxes)
    {
        assertionBoxes = _assertions.Select(a => JumbfBoxes.Superbox(C2paLabels.CborContentType, a.Label, JumbfBoxes.ContentBox("cbor", a.Content.Encode()))).ToArray();
        var created = new CborArray();
        for (int i = 0; i < _assertions.Count; i++)
            created.Add(new HashedUri(C2paLabels.AssertionUri(_assertions[i].Label), SHA256.HashData(assertionBoxes[i].AsSpan(8))).ToCbor());
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
    public byte[] Store(byte[] claim, byte[][] assertionBoxes, byte[] signature, IReadOnlyList<byte[]> earlierManifests)
    {
        var assertionStore = JumbfBoxes.Superbox(C2paLabels.AssertionStoreType, C2paLabels.AssertionStore, assertionBoxes);
        var claimBox = JumbfBoxes.Superbox(C2paLabels.ClaimType, C2paLabels.ClaimV2, JumbfBoxes.ContentBox("cbor", claim));
        var signatureBox = JumbfBoxes.Superbox(C2paLabels.SignatureType, C2paLabels.Signature, JumbfBoxes.ContentBox("cbor", signature));
        var manifest = JumbfBoxes.Superbox(C2paLabels.StandardManifestType, Label, assertionStore, claimBox, signatureBox);
        return JumbfBoxes.Superbox(C2paLabels.StoreType, C2paLabels.ManifestStore, [.. earlierManifests, manifest]);
    }

    /// <summary>A signature of exactly <see cref="SignatureReservation"/> bytes that is all padding (for sizing).</summary>
    public byte[] PlaceholderSignature(ISigner signer) =>
        PaddedCose(ProtectedHeader(signer), new byte[signer.ReservedSignatureSize], timeStampToken: null, SignatureReservation);

    public static byte[] ProtectedHeader(ISigner signer) =>
        CoseSign1.EncodeProtectedHeader(signer.CoseAlgorithm, signer.Chain.Select(c => c.RawData).ToList());

    /// <summary>COSE_Sign1 with <c>sigTst2</c> (when stamped) and a <c>pad</c> sized so the total is exactly <paramref name="size"/>.</summary>
    public static byte[] PaddedCose(byte[] protectedHeader, byte[] signature, byte[]? timeStampToken, int size)
    {
        int padLength = Math.Max(0, size - 64 - protectedHeader.Length - signature.Length - (timeStampToken?.Length ?? 0));
        for (int attempt = 0; attempt < 8 && padLength >= 0; attempt++)
        {
            var unprotected = new CborMap();
            if (timeStampToken is not null)
                unprotected.Add("sigTst2", new CborMap { { "tstTokens", new CborArray([new CborMap { { "val", new CborByteString(timeStampToken) } }]) } });
            unprotected.Add("pad", new CborByteString(new byte[padLength]));
            var encoded = CoseSign1.Encode(protectedHeader, unprotected, signature);
            if (encoded.Length == size) return encoded;
            padLength += size - encoded.Length; // converges unless a length prefix boundary is straddled
        }
        throw new InvalidOperationException($"the claim signature does not fit its reserved {size} bytes");
    }
}
