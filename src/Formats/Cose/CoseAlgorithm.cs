using System.Security.Cryptography;
using Provenance.Formats.Cbor;

namespace Provenance.Formats.Cose;

/// <summary>COSE signature algorithms (IANA COSE Algorithms registry) that C2PA allows.</summary>
public enum CoseAlgorithm
{
    ES256 = -7,
    ES384 = -35,
    ES512 = -36,
    PS256 = -37,
    PS384 = -38,
    PS512 = -39,

    /// <summary>EdDSA; C2PA uses it with Ed25519 keys only.</summary>
    EdDSA = -8,
}

/// <summary>Well-known COSE header labels.</summary>
public static class CoseHeaderLabels
{
    public static CborValue Algorithm { get; } = 1;

    public static CborValue ContentType { get; } = 3;

    public static CborValue KeyId { get; } = 4;

    public static CborValue X5Chain { get; } = 33;

    /// <summary>C2PA v2 time-stamp container: <c>{tstTokens: [{val: bstr}]}</c>.</summary>
    public static CborValue SigTst2 { get; } = "sigTst2";

    /// <summary>C2PA v1 time-stamp container.</summary>
    public static CborValue SigTst { get; } = "sigTst";

    /// <summary>Stapled revocation values: <c>{ocspVals: [bstr]}</c>.</summary>
    public static CborValue RVals { get; } = "rVals";

    /// <summary>Zero padding that keeps the signature's size fixed.</summary>
    public static CborValue Pad { get; } = "pad";

    /// <summary>Second padding entry, used when one cannot hit the exact size.</summary>
    public static CborValue Pad2 { get; } = "pad2";
}

internal static class CoseAlgorithms
{
    public static bool IsDefined(long value) => value is -7 or -35 or -36 or -37 or -38 or -39 or -8;

    public static HashAlgorithmName Hash(CoseAlgorithm algorithm) => algorithm switch
    {
        CoseAlgorithm.ES256 or CoseAlgorithm.PS256 => HashAlgorithmName.SHA256,
        CoseAlgorithm.ES384 or CoseAlgorithm.PS384 => HashAlgorithmName.SHA384,
        CoseAlgorithm.ES512 or CoseAlgorithm.PS512 => HashAlgorithmName.SHA512,
        _ => throw new CoseException(CoseErrorKind.UnsupportedAlgorithm, $"{algorithm} has no separate hash"),
    };

    public static bool IsEcdsa(CoseAlgorithm algorithm) => algorithm is CoseAlgorithm.ES256 or CoseAlgorithm.ES384 or CoseAlgorithm.ES512;

    public static bool IsRsaPss(CoseAlgorithm algorithm) => algorithm is CoseAlgorithm.PS256 or CoseAlgorithm.PS384 or CoseAlgorithm.PS512;

    // The curve a given ECDSA algorithm requires, as key size in bits.
    public static int CurveBits(CoseAlgorithm algorithm) => algorithm switch
    {
        CoseAlgorithm.ES256 => 256,
        CoseAlgorithm.ES384 => 384,
        _ => 521,
    };

    // ES256/384/512 are defined on the NIST curves P-256, P-384 and P-521 only.
    public static CoseAlgorithm ForEcdsaKey(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        string? curve = key.ExportParameters(includePrivateParameters: false).Curve.Oid?.Value;
        return curve switch
        {
            "1.2.840.10045.3.1.7" => CoseAlgorithm.ES256,
            "1.3.132.0.34" => CoseAlgorithm.ES384,
            "1.3.132.0.35" => CoseAlgorithm.ES512,
            _ => throw new ArgumentException($"no COSE algorithm for ECDSA curve {curve ?? "(unnamed)"}", nameof(key)),
        };
    }
}
