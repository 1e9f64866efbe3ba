using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Provenance.Signer.Certificates;

/// <summary>
/// Issues the certificates a C2PA deployment needs: a root and an intermediate CA, claim-signing
/// end-entity certificates and a time-stamping certificate, each with the profile c2pa-rs enforces
/// (v3, AKI everywhere, SKI on CAs, critical key usage, an allowed EKU on end entities).
/// </summary>
public static class CertificateAuthority
{
    /// <summary>C2PA claim signing extended key usage (id-kp-c2pa-claimSigning).</summary>
    public const string ClaimSigningEku = "1.3.6.1.4.1.62558.2.1";
    public const string EmailProtectionEku = "1.3.6.1.5.5.7.3.4";
    public const string DocumentSigningEku = "1.3.6.1.5.5.7.3.36";
    public const string TimeStampingEku = "1.3.6.1.5.5.7.3.8";

    private static readonly TimeSpan ClockSkew = TimeSpan.FromHours(1);

    /// <summary>A self-signed root CA.</summary>
    public static X509Certificate2 CreateRoot(string subject, SigningAlgorithm alg, TimeSpan lifetime)
    {
        using var key = alg.CreateKey();
        var request = Request(subject, key, alg);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var ski = new X509SubjectKeyIdentifierExtension(request.PublicKey, false);
        request.CertificateExtensions.Add(ski);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(ski));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now - ClockSkew, now + lifetime);
    }

    /// <summary>An intermediate CA under <paramref name="issuer"/> that may only issue end entities.</summary>
    public static X509Certificate2 CreateIntermediate(X509Certificate2 issuer, string subject, SigningAlgorithm alg, TimeSpan lifetime)
    {
        using var key = alg.CreateKey();
        var request = Request(subject, key, alg);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        return Issue(issuer, request, key, lifetime);
    }

    /// <summary>
    /// A claim-signing end-entity certificate (C2PA claim signing + emailProtection EKUs). The subject must name
    /// an organisation (O=): c2pa-rs refuses signatures whose certificate has none.
    /// </summary>
    public static X509Certificate2 IssueClaimSigner(X509Certificate2 issuer, string subject, SigningAlgorithm alg, TimeSpan lifetime)
    {
        if (!HasOrganization(new X500DistinguishedName(subject)))
            throw new ArgumentException("a claim-signing certificate's subject must include O= (an organisation)", nameof(subject));
        return IssueEndEntity(issuer, subject, alg, lifetime, [ClaimSigningEku, EmailProtectionEku], ekuCritical: false);
    }

    /// <summary>Whether a distinguished name carries an organisation attribute (2.5.4.10).</summary>
    public static bool HasOrganization(X500DistinguishedName name) =>
        name.EnumerateRelativeDistinguishedNames().Any(r => r.GetSingleElementType().Value == "2.5.4.10");

    /// <summary>A time-stamping certificate: only the timeStamping EKU, marked critical (RFC 3161 §2.3).</summary>
    public static X509Certificate2 IssueTimeStamping(X509Certificate2 issuer, string subject, SigningAlgorithm alg, TimeSpan lifetime) =>
        IssueEndEntity(issuer, subject, alg, lifetime, [TimeStampingEku], ekuCritical: true);

    /// <summary>An end-entity certificate with the given EKUs (tests use this for profiles c2pa-rs rejects).</summary>
    public static X509Certificate2 IssueEndEntity(X509Certificate2 issuer, string subject, SigningAlgorithm alg, TimeSpan lifetime,
        IReadOnlyList<string> ekus, bool ekuCritical)
    {
        using var key = alg.CreateKey();
        var request = Request(subject, key, alg);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        if (ekus.Count > 0)
        {
            var oids = new OidCollection();
            foreach (var eku in ekus) oids.Add(new Oid(eku));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(oids, ekuCritical));
        }
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        return Issue(issuer, request, key, lifetime);
    }

    private static CertificateRequest Request(string subject, AsymmetricAlgorithm key, SigningAlgorithm alg) => key switch
    {
        ECDsa ec => new CertificateRequest(subject, ec, alg.Hash()),
        RSA rsa => new CertificateRequest(subject, rsa, alg.Hash(), RSASignaturePadding.Pkcs1),
        _ => throw new ArgumentException("unsupported key type", nameof(key)),
    };

    private static X509Certificate2 Issue(X509Certificate2 issuer, CertificateRequest request, AsymmetricAlgorithm key, TimeSpan lifetime)
    {
        var now = DateTimeOffset.UtcNow;
        var notAfter = now + lifetime;
        if (notAfter > issuer.NotAfter) notAfter = new DateTimeOffset(issuer.NotAfter.ToUniversalTime());
        var notBefore = now - ClockSkew;
        if (notBefore < issuer.NotBefore) notBefore = new DateTimeOffset(issuer.NotBefore.ToUniversalTime());
        using var issuerEc = issuer.GetECDsaPrivateKey();
        using var issuerRsa = issuerEc is null ? issuer.GetRSAPrivateKey() : null;
        // The request's hash algorithm is used with the issuer's key (ecdsa-with-SHAxxx / shaxxxWithRSAEncryption).
        var generator = issuerEc is not null ? X509SignatureGenerator.CreateForECDsa(issuerEc)
            : issuerRsa is not null ? X509SignatureGenerator.CreateForRSA(issuerRsa, RSASignaturePadding.Pkcs1)
            : throw new ArgumentException("the issuer certificate has no usable private key", nameof(issuer));
        using var cert = request.Create(issuer.SubjectName, generator, notBefore, notAfter, NewSerial());
        return WithKey(cert, key);
    }

    /// <summary>A random 16-byte serial number (certificates, time-stamp tokens): positive, and its first byte never
    /// zero, so it is already the minimal DER INTEGER encoding that ASN.1 writers insist on.</summary>
    internal static byte[] NewSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x01);
        return serial;
    }

    private static X509Certificate2 WithKey(X509Certificate2 cert, AsymmetricAlgorithm key) => key switch
    {
        ECDsa ec => cert.CopyWithPrivateKey(ec),
        RSA rsa => cert.CopyWithPrivateKey(rsa),
        _ => throw new ArgumentException("unsupported key type", nameof(key)),
    };
}
