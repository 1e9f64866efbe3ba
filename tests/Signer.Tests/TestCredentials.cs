using System.Security.Cryptography.X509Certificates;
using Provenance.Signer.Certificates;
using Provenance.Signer.Signing;
using Provenance.Signer.TimeStamping;

namespace Provenance.Signer.Tests;

/// <summary>A root, an intermediate, a claim signer and a TSA made with our own certificate authority.</summary>
public sealed class TestCredentials
{
    private TestCredentials(SigningAlgorithm alg)
    {
        Root = CertificateAuthority.CreateRoot("CN=Provenance Test Root, O=Provenance Tests", SigningAlgorithm.Es256, TimeSpan.FromDays(30));
        Intermediate = CertificateAuthority.CreateIntermediate(Root, "CN=Provenance Test Intermediate, O=Provenance Tests", SigningAlgorithm.Es256, TimeSpan.FromDays(30));
        SignerCertificate = CertificateAuthority.IssueClaimSigner(Intermediate, "CN=Provenance Test Signer, O=Provenance Tests", alg, TimeSpan.FromDays(30));
        TsaCertificate = CertificateAuthority.IssueTimeStamping(Intermediate, "CN=Provenance Test TSA, O=Provenance Tests", SigningAlgorithm.Es256, TimeSpan.FromDays(30));
        Algorithm = alg;
    }

    private static readonly Dictionary<SigningAlgorithm, TestCredentials> Cache = [];

    public static TestCredentials For(SigningAlgorithm alg)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(alg, out var c)) Cache[alg] = c = new TestCredentials(alg);
            return c;
        }
    }

    public SigningAlgorithm Algorithm { get; }
    public X509Certificate2 Root { get; }
    public X509Certificate2 Intermediate { get; }
    public X509Certificate2 SignerCertificate { get; }
    public X509Certificate2 TsaCertificate { get; }

    public X509Signer Signer() => new([SignerCertificate, Intermediate], PemFiles.PrivateKeyOf(SignerCertificate), Algorithm);

    public ITimeStamper TimeStamper() => new LocalTimeStamper(new TimeStampAuthority(TsaCertificate, [Intermediate]));

    public TrustList Trust() => new([Root]);

    /// <summary>Writes the root as a PEM trust anchor file.</summary>
    public string WriteRootPem(TempFolder temp)
    {
        var path = temp.File("ca.pem");
        PemFiles.WriteCertificates(path, [Root]);
        return path;
    }
}
