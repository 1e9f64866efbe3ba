namespace Provenance.Signer.C2pa;

/// <summary>Labels, JUMBF type identifiers and URIs of the C2PA manifest store.</summary>
public static class C2paLabels
{
    public const string ManifestStore = "c2pa";
    public const string AssertionStore = "c2pa.assertions";
    public const string ClaimV2 = "c2pa.claim.v2";
    public const string ClaimV1 = "c2pa.claim";
    public const string Signature = "c2pa.signature";

    public const string ActionsV2 = "c2pa.actions.v2";
    public const string Actions = "c2pa.actions";
    public const string SoftBinding = "c2pa.soft-binding";
    public const string BmffHashV3 = "c2pa.hash.bmff.v3";
    public const string BmffHashV2 = "c2pa.hash.bmff.v2";
    public const string BmffHashV1 = "c2pa.hash.bmff";
    public const string DataHash = "c2pa.hash.data";
    public const string IngredientV3 = "c2pa.ingredient.v3";

    public const string Created = "c2pa.created";
    public const string Watermarked = "c2pa.watermarked";
    public const string TrainedAlgorithmicMedia = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";

    /// <summary>The extended type of the ISO BMFF <c>uuid</c> box holding C2PA data.</summary>
    public static readonly byte[] BmffUuid = Convert.FromHexString("D8FEC3D61B0E483C92975828877EC481");

    /// <summary>JUMBF type of the claim signature box, <c>c2cs</c> (63326373-0011-0010-8000-00AA00389B71).</summary>
    public static readonly Guid SignatureType = Provenance.Formats.Jumbf.JumbfTypes.Signature;

    /// <summary>The absolute JUMBF URI of a box inside a manifest (<c>self#jumbf=/c2pa/LABEL/PATH</c>).</summary>
    public static string AbsoluteUri(string manifestLabel, string path) => $"self#jumbf=/c2pa/{manifestLabel}/{path}";

    /// <summary>The manifest-relative URI of an assertion (<c>self#jumbf=c2pa.assertions/LABEL</c>).</summary>
    public static string AssertionUri(string assertionLabel) => $"self#jumbf={AssertionStore}/{assertionLabel}";
}
