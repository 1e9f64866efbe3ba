using System.Security.Cryptography;

namespace Provenance.Signer;

/// <summary>The COSE signature algorithms C2PA allows that .NET can produce.</summary>
public enum SigningAlgorithm
{
    Es256,
    Es384,
    Es512,
    Ps256,
    Ps384,
    Ps512,
}

/// <summary>Names, COSE identifiers and hash functions of <see cref="SigningAlgorithm"/>.</summary>
public static class SigningAlgorithms
{
    /// <summary>The lower-case name C2PA tools use (<c>es256</c>, <c>ps256</c>...).</summary>
    public static string Name(this SigningAlgorithm alg) => alg.ToString().ToLowerInvariant();

    /// <summary>The COSE algorithm identifier (RFC 9053).</summary>
    public static int CoseId(this SigningAlgorithm alg) => alg switch
    {
        SigningAlgorithm.Es256 => -7,
        SigningAlgorithm.Es384 => -35,
        SigningAlgorithm.Es512 => -36,
        SigningAlgorithm.Ps256 => -37,
        SigningAlgorithm.Ps384 => -38,
        SigningAlgorithm.Ps512 => -39,
        _ => throw new ArgumentOutOfRangeException(nameof(alg)),
    };

    public static SigningAlgorithm? FromCoseId(long id) => id switch
    {
        -7 => SigningAlgorithm.Es256,
        -35 => SigningAlgorithm.Es384,
        -36 => SigningAlgorithm.Es512,
        -37 => SigningAlgorithm.Ps256,
        -38 => SigningAlgorithm.Ps384,
        -39 => SigningAlgorithm.Ps512,
        _ => null,
    };

    public static bool TryParse(string? name, out SigningAlgorithm alg)
    {
        alg = default;
        return name is not null && Enum.TryParse(name, ignoreCase: true, out alg) && Enum.IsDefined(alg);
    }

    public static HashAlgorithmName Hash(this SigningAlgorithm alg) => alg switch
    {
        SigningAlgorithm.Es256 or SigningAlgorithm.Ps256 => HashAlgorithmName.SHA256,
        SigningAlgorithm.Es384 or SigningAlgorithm.Ps384 => HashAlgorithmName.SHA384,
        _ => HashAlgorithmName.SHA512,
    };

    public static bool IsEcdsa(this SigningAlgorithm alg) => alg is SigningAlgorithm.Es256 or SigningAlgorithm.Es384 or SigningAlgorithm.Es512;

    public static ECCurve Curve(this SigningAlgorithm alg) => alg switch
    {
        SigningAlgorithm.Es256 => ECCurve.NamedCurves.nistP256,
        SigningAlgorithm.Es384 => ECCurve.NamedCurves.nistP384,
        SigningAlgorithm.Es512 => ECCurve.NamedCurves.nistP521,
        _ => throw new ArgumentOutOfRangeException(nameof(alg), "not an ECDSA algorithm"),
    };

    /// <summary>Creates a fresh key pair suited to the algorithm (RSA keys are 3072 bits).</summary>
    public static AsymmetricAlgorithm CreateKey(this SigningAlgorithm alg) =>
        alg.IsEcdsa() ? ECDsa.Create(alg.Curve()) : RSA.Create(3072);

    /// <summary>Signature size in bytes for a key of this algorithm.</summary>
    public static int SignatureSize(this SigningAlgorithm alg, AsymmetricAlgorithm key) => key switch
    {
        ECDsa ec => 2 * ((ec.KeySize + 7) / 8),
        RSA rsa => (rsa.KeySize + 7) / 8,
        _ => throw new ArgumentException("unsupported key type", nameof(key)),
    };
}
