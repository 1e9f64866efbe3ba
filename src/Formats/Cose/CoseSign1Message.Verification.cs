using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Provenance.Formats.Cbor;

namespace Provenance.Formats.Cose;

public sealed partial class CoseSign1Message
{
    private const string Ed25519Oid = "1.3.101.112";

    /// <summary>The bytes the signature covers: <c>["Signature1", protected, external_aad, payload]</c>.</summary>
    public byte[] ToBeSigned(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> externalAad = default) =>
        CoseSign1.SigStructure("Signature1", ProtectedHeaderBytes, externalAad, payload);

    /// <summary>
    /// The bytes a C2PA v2 time stamp (sigTst2) covers: <c>["CounterSignature", protected, h'', bstr(signature)]</c>,
    /// the payload being the CBOR encoding of the signature as a byte string.
    /// </summary>
    public byte[] CounterSignatureToBeSigned()
    {
        var writer = new CborWriter(Signature.Length + 16);
        writer.WriteByteString(Signature);
        return CoseSign1.SigStructure("CounterSignature", ProtectedHeaderBytes, default, writer.Encode());
    }

    /// <summary>Verifies the signature over a detached payload with the end-entity certificate's public key.</summary>
    public bool VerifyDetached(ReadOnlySpan<byte> payload, X509Certificate2 certificate, ReadOnlySpan<byte> externalAad = default)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var algorithm = RequireAlgorithm();
        if (CoseAlgorithms.IsEcdsa(algorithm))
        {
            using var key = certificate.GetECDsaPublicKey() ?? throw KeyMismatch(algorithm, "an ECDSA");
            return VerifyDetached(payload, key, externalAad);
        }
        if (CoseAlgorithms.IsRsaPss(algorithm))
        {
            using var key = certificate.GetRSAPublicKey() ?? throw KeyMismatch(algorithm, "an RSA");
            return VerifyDetached(payload, key, externalAad);
        }
        if (certificate.PublicKey.Oid.Value != Ed25519Oid)
            throw KeyMismatch(algorithm, "an Ed25519");
        return VerifyDetachedEd25519(payload, certificate.PublicKey.EncodedKeyValue.RawData, externalAad);
    }

    /// <summary>Verifies an ES256/384/512 signature (raw r||s) over a detached payload.</summary>
    public bool VerifyDetached(ReadOnlySpan<byte> payload, ECDsa key, ReadOnlySpan<byte> externalAad = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var algorithm = RequireAlgorithm();
        if (!CoseAlgorithms.IsEcdsa(algorithm))
            throw KeyMismatch(algorithm, "an ECDSA");
        int bits = CoseAlgorithms.CurveBits(algorithm);
        if (key.KeySize != bits)
            throw new CoseException(CoseErrorKind.KeyMismatch, $"{algorithm} needs a {bits}-bit curve, the key has {key.KeySize} bits");
        int fieldBytes = (bits + 7) / 8;
        if (Signature.Length != 2 * fieldBytes)
            return false;
        return key.VerifyData(ToBeSigned(payload, externalAad), Signature, CoseAlgorithms.Hash(algorithm), DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    /// <summary>Verifies a PS256/384/512 signature (salt length = hash length) over a detached payload.</summary>
    public bool VerifyDetached(ReadOnlySpan<byte> payload, RSA key, ReadOnlySpan<byte> externalAad = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var algorithm = RequireAlgorithm();
        if (!CoseAlgorithms.IsRsaPss(algorithm))
            throw KeyMismatch(algorithm, "an RSA");
        if (Signature.Length != (key.KeySize + 7) / 8)
            return false;
        try
        {
            return key.VerifyData(ToBeSigned(payload, externalAad), Signature, CoseAlgorithms.Hash(algorithm), RSASignaturePadding.Pss);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>Verifies an EdDSA (Ed25519) signature over a detached payload with a raw 32-byte public key.</summary>
    public bool VerifyDetachedEd25519(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> externalAad = default)
    {
        var algorithm = RequireAlgorithm();
        if (algorithm != CoseAlgorithm.EdDSA)
            throw KeyMismatch(algorithm, "an Ed25519");
        if (publicKey.Length != Ed25519.PublicKeySize)
            throw new CoseException(CoseErrorKind.KeyMismatch, $"an Ed25519 public key is {Ed25519.PublicKeySize} bytes");
        return Ed25519.Verify(publicKey, ToBeSigned(payload, externalAad), Signature);
    }

    private CoseAlgorithm RequireAlgorithm() =>
        Algorithm ?? throw new CoseException(CoseErrorKind.UnsupportedAlgorithm, "the protected header has no alg");

    private static CoseException KeyMismatch(CoseAlgorithm algorithm, string needed) =>
        new(CoseErrorKind.KeyMismatch, $"{algorithm} needs {needed} key");
}
