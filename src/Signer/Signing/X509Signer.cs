using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Provenance.Signer.Certificates;

namespace Provenance.Signer.Signing;

/// <summary>An <see cref="ISigner"/> over an in-process private key and its certificate chain.</summary>
public sealed class X509Signer : ISigner, IDisposable
{
    private readonly AsymmetricAlgorithm _key;

    public X509Signer(IReadOnlyList<X509Certificate2> chain, AsymmetricAlgorithm key, SigningAlgorithm? algorithm = null)
    {
        if (chain.Count == 0) throw new KeyMaterialException("the certificate chain is empty");
        Chain = chain;
        _key = key;
        Algorithm = algorithm ?? Infer(key);
        Check(chain[0], key, Algorithm);
        ReservedSignatureSize = Algorithm.SignatureSize(key);
    }

    public SigningAlgorithm Algorithm { get; }
    public IReadOnlyList<X509Certificate2> Chain { get; }
    public int ReservedSignatureSize { get; }

    /// <summary>Loads a PEM chain (end entity first; a trailing self-signed root is dropped) and a PKCS#8 key.</summary>
    public static X509Signer FromPemFiles(string chainPath, string keyPath, string? passphrase, SigningAlgorithm? algorithm = null)
    {
        var chain = PemFiles.ReadCertificates(chainPath).ToList();
        if (chain.Count > 1 && chain[^1].SubjectName.RawData.AsSpan().SequenceEqual(chain[^1].IssuerName.RawData)) chain.RemoveAt(chain.Count - 1);
        return new X509Signer(chain, PemFiles.ReadKey(keyPath, passphrase), algorithm);
    }

    public byte[] Sign(ReadOnlySpan<byte> toBeSigned) => _key switch
    {
        ECDsa ec => ec.SignData(toBeSigned, Algorithm.Hash(), DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
        RSA rsa => rsa.SignData(toBeSigned.ToArray(), Algorithm.Hash(), RSASignaturePadding.Pss),
        _ => throw new InvalidOperationException("unsupported key type"),
    };

    public void Dispose() => _key.Dispose();

    // ES256/384/512 follow the curve; RSA keys sign PS256.
    private static SigningAlgorithm Infer(AsymmetricAlgorithm key) => key switch
    {
        ECDsa { KeySize: 256 } => SigningAlgorithm.Es256,
        ECDsa { KeySize: 384 } => SigningAlgorithm.Es384,
        ECDsa { KeySize: 521 } => SigningAlgorithm.Es512,
        RSA => SigningAlgorithm.Ps256,
        _ => throw new KeyMaterialException("unsupported key type or curve"),
    };

    private static void Check(X509Certificate2 cert, AsymmetricAlgorithm key, SigningAlgorithm alg)
    {
        bool matches = key switch
        {
            ECDsa ec when alg.IsEcdsa() => Infer(ec) == alg && cert.GetECDsaPublicKey() is { } pub
                && pub.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(ec.ExportSubjectPublicKeyInfo()),
            RSA rsa when !alg.IsEcdsa() => cert.GetRSAPublicKey() is { } pub && pub.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(rsa.ExportSubjectPublicKeyInfo()),
            _ => false,
        };
        if (!matches) throw new KeyMaterialException($"the private key does not match the certificate {cert.Subject} or the algorithm {alg.Name()}");
    }
}
