using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Provenance.Signer.Certificates;

/// <summary>Why a certificate fails the C2PA profile: invalid for good, or only outside its validity at the time asked.</summary>
public enum ProfileFailure { None, Invalid, Expired }

/// <summary>
/// The C2PA certificate profile (C2PA 2.x §14.5) as c2pa-rs enforces it for end-entity signing and
/// time-stamping certificates.
/// </summary>
public static class CertificateProfile
{
    public static readonly IReadOnlySet<string> ClaimSigningEkus = new HashSet<string>
    {
        CertificateAuthority.ClaimSigningEku, CertificateAuthority.EmailProtectionEku, CertificateAuthority.DocumentSigningEku,
        CertificateAuthority.TimeStampingEku, "1.3.6.1.5.5.7.3.9", "1.3.6.1.4.1.311.76.59.1.9",
    };

    public static readonly IReadOnlySet<string> TimeStampingEkus = new HashSet<string> { CertificateAuthority.TimeStampingEku };

    private static readonly HashSet<string> SignatureAlgorithms =
    [
        "1.2.840.113549.1.1.11", "1.2.840.113549.1.1.12", "1.2.840.113549.1.1.13", // sha*WithRSAEncryption
        "1.2.840.10045.4.3.2", "1.2.840.10045.4.3.3", "1.2.840.10045.4.3.4",       // ecdsa-with-SHA*
        "1.2.840.113549.1.1.10",                                                   // RSASSA-PSS
        "1.3.101.112",                                                             // Ed25519
    ];

    private static readonly HashSet<string> Curves = ["1.2.840.10045.3.1.7", "1.3.132.0.34", "1.3.132.0.35"];

    private static readonly HashSet<string> HandledExtensions =
    [
        "2.5.29.15", "2.5.29.37", "2.5.29.19", "2.5.29.14", "2.5.29.35", "2.5.29.17", "2.5.29.32", "2.5.29.33", "2.5.29.30",
        "2.5.29.36", "2.5.29.31", "2.5.29.54", "1.3.6.1.5.5.7.1.1", "2.16.840.1.113730.1.1",
    ];

    /// <summary>Checks an end-entity certificate at <paramref name="at"/>; returns the failure and a reason.</summary>
    public static (ProfileFailure Failure, string Reason) CheckEndEntity(X509Certificate2 cert, DateTimeOffset at, IReadOnlySet<string> allowedEkus)
    {
        try
        {
            return Check(cert, at, allowedEkus);
        }
        catch (CryptographicException)
        {
            return (ProfileFailure.Invalid, "certificate could not be parsed");
        }
    }

    private static (ProfileFailure Failure, string Reason) Check(X509Certificate2 cert, DateTimeOffset at, IReadOnlySet<string> allowedEkus)
    {
        if (cert.Version != 3) return (ProfileFailure.Invalid, "certificate version incorrect");
        if (at < cert.NotBefore.ToUniversalTime() || at > cert.NotAfter.ToUniversalTime()) return (ProfileFailure.Expired, "certificate expired");
        if (!SignatureAlgorithms.Contains(cert.SignatureAlgorithm.Value ?? "")) return (ProfileFailure.Invalid, "certificate algorithm not supported");
        var keyAlg = cert.PublicKey.Oid.Value;
        if (keyAlg == "1.2.840.10045.2.1")
        {
            string? curve = null;
            try
            {
                if (cert.PublicKey.EncodedParameters?.RawData is { } parameters) curve = new AsnReader(parameters, AsnEncodingRules.DER).ReadObjectIdentifier();
            }
            catch (AsnContentException)
            {
            }
            if (curve is null || !Curves.Contains(curve)) return (ProfileFailure.Invalid, "certificate unsupported EC curve");
        }
        else if (keyAlg is "1.2.840.113549.1.1.1" or "1.2.840.113549.1.1.10")
        {
            using var rsa = cert.GetRSAPublicKey();
            if (rsa is null || rsa.KeySize < 2048) return (ProfileFailure.Invalid, "certificate key length too short");
        }

        var basic = cert.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault();
        bool isCa = basic?.CertificateAuthority == true;
        if (isCa) return (ProfileFailure.Invalid, "expected end-entity certificate");

        X509EnhancedKeyUsageExtension? eku;
        X509KeyUsageExtension? ku;
        bool hasAki;
        try
        {
            eku = cert.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
            ku = cert.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault();
            hasAki = cert.Extensions.Any(e => e.Oid?.Value == "2.5.29.35");
            if (eku is null) return (ProfileFailure.Invalid, "certificate missing required EKU");
            var ekus = eku.EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value ?? "").ToList();
            if (ekus.Contains("2.5.29.37.0")) return (ProfileFailure.Invalid, "certificate 'any' EKU not allowed");
            if (!ekus.Any(allowedEkus.Contains)) return (ProfileFailure.Invalid, "certificate missing required EKU");
            bool ts = ekus.Contains(CertificateAuthority.TimeStampingEku), ocsp = ekus.Contains("1.3.6.1.5.5.7.3.9");
            if ((ts && ocsp) || ((ts ^ ocsp) && ekus.Count > 1)) return (ProfileFailure.Invalid, "certificate invalid set of EKUs");
        }
        catch (CryptographicException)
        {
            return (ProfileFailure.Invalid, "certificate extensions could not be parsed");
        }
        if (ku is null) return (ProfileFailure.Invalid, "certificate params incorrect");
        var usages = ku.KeyUsages;
        if (usages.HasFlag(X509KeyUsageFlags.DigitalSignature) && usages.HasFlag(X509KeyUsageFlags.KeyCertSign))
            return (ProfileFailure.Invalid, "certificate missing digitalSignature EKU");
        if ((usages & (X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.NonRepudiation)) == 0)
            return (ProfileFailure.Invalid, "certificate params incorrect");
        if (!hasAki) return (ProfileFailure.Invalid, "certificate params incorrect");
        if (cert.Extensions.Any(e => e.Critical && !HandledExtensions.Contains(e.Oid?.Value ?? "")))
            return (ProfileFailure.Invalid, "certificate params incorrect");
        return (ProfileFailure.None, "");
    }
}
