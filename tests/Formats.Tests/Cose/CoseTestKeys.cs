using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Provenance.Formats.Tests.Cose;

internal static class CoseTestKeys
{
    public static X509Certificate2 SelfSigned(ECDsa key) =>
        new CertificateRequest("CN=Provenance test signer", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

    public static X509Certificate2 SelfSigned(RSA key) =>
        new CertificateRequest("CN=Provenance test signer", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pss)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
}
