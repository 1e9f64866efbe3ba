using System.Security.Cryptography;

namespace Provenance.Formats.Cose;

/// <summary>A signing key, its COSE algorithm and the certificate chain (DER, end-entity first, no root) for x5chain.</summary>
public sealed class CoseSigner
{
    private readonly Func<byte[], byte[]> _sign;

    /// <summary>An external signer (for example a hardware key): receives the to-be-signed bytes, returns the raw signature (r||s for ECDSA).</summary>
    public CoseSigner(CoseAlgorithm algorithm, Func<byte[], byte[]> signToBeSigned, IReadOnlyList<byte[]> certificateChain)
    {
        ArgumentNullException.ThrowIfNull(signToBeSigned);
        ArgumentNullException.ThrowIfNull(certificateChain);
        if (!Enum.IsDefined(algorithm))
            throw new ArgumentOutOfRangeException(nameof(algorithm));
        Algorithm = algorithm;
        _sign = signToBeSigned;
        CertificateChain = certificateChain;
    }

    /// <summary>ECDSA; the algorithm follows the curve (P-256 → ES256, P-384 → ES384, P-521 → ES512).</summary>
    public CoseSigner(ECDsa key, IReadOnlyList<byte[]> certificateChain)
        : this(CoseAlgorithms.ForEcdsaKey(key), toBeSigned => key.SignData(toBeSigned, CoseAlgorithms.Hash(CoseAlgorithms.ForEcdsaKey(key)), DSASignatureFormat.IeeeP1363FixedFieldConcatenation), certificateChain)
    {
    }

    /// <summary>RSA-PSS (PS256/384/512): salt length equals the hash length, MGF1 with the same hash.</summary>
    public CoseSigner(RSA key, CoseAlgorithm algorithm, IReadOnlyList<byte[]> certificateChain)
        : this(RequireRsaPss(algorithm), toBeSigned => key.SignData(toBeSigned, CoseAlgorithms.Hash(algorithm), RSASignaturePadding.Pss), certificateChain)
    {
        ArgumentNullException.ThrowIfNull(key);
    }

    /// <summary>Ed25519 with a raw 32-byte private key.</summary>
    public static CoseSigner ForEd25519(byte[] privateKey, IReadOnlyList<byte[]> certificateChain)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        if (privateKey.Length != Ed25519.PrivateKeySize)
            throw new ArgumentException($"an Ed25519 private key is {Ed25519.PrivateKeySize} bytes", nameof(privateKey));
        var key = privateKey.ToArray();
        return new CoseSigner(CoseAlgorithm.EdDSA, toBeSigned => Ed25519.Sign(key, toBeSigned), certificateChain);
    }

    public CoseAlgorithm Algorithm { get; }

    /// <summary>DER certificates, end-entity first.</summary>
    public IReadOnlyList<byte[]> CertificateChain { get; }

    internal byte[] Sign(byte[] toBeSigned) => _sign(toBeSigned);

    private static CoseAlgorithm RequireRsaPss(CoseAlgorithm algorithm) => CoseAlgorithms.IsRsaPss(algorithm)
        ? algorithm
        : throw new ArgumentException($"{algorithm} is not an RSA-PSS algorithm", nameof(algorithm));
}
