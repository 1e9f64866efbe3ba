using System.Security.Cryptography.X509Certificates;
using Provenance.Signer.Signing;

namespace Provenance.Signer.Certificates;

/// <summary>
/// The default key folder (<c>Provenance:Keys:Directory</c>, default <c>.data/keys</c>): a root and an
/// intermediate CA, the claim-signing credential, the time-stamping credential and the revocation list.
/// Private keys are stored encrypted with the configured passphrase, mode 0600.
/// </summary>
public sealed class KeyFolder
{
    public const string DefaultDirectory = ".data/keys";
    public const string PassphraseEnvironmentVariable = "PROVENANCE_KEYS_PASSPHRASE";

    private readonly string? _passphrase;

    public KeyFolder(string directory, string? passphrase)
    {
        Directory = Path.GetFullPath(directory);
        _passphrase = passphrase;
    }

    public string Directory { get; }
    public string RootCertificatePath => Path.Combine(Directory, "root.pem");
    public string RootKeyPath => Path.Combine(Directory, "root.key");
    public string IntermediateCertificatePath => Path.Combine(Directory, "intermediate.pem");
    public string IntermediateKeyPath => Path.Combine(Directory, "intermediate.key");
    /// <summary>The claim-signing chain: end entity, then the intermediate.</summary>
    public string SignerChainPath => Path.Combine(Directory, "signer.pem");
    public string SignerKeyPath => Path.Combine(Directory, "signer.key");
    /// <summary>The time-stamping chain: TSA certificate, then the intermediate.</summary>
    public string TimeStampingChainPath => Path.Combine(Directory, "tsa.pem");
    public string TimeStampingKeyPath => Path.Combine(Directory, "tsa.key");
    public string RevocationListPath => Path.Combine(Directory, "revoked.json");

    public bool HasCa => File.Exists(RootCertificatePath) && File.Exists(IntermediateCertificatePath);
    public bool HasSigner => File.Exists(SignerChainPath) && File.Exists(SignerKeyPath);

    /// <summary>Creates the root and intermediate CAs. Refuses to replace an existing CA unless <paramref name="overwrite"/>.</summary>
    public (X509Certificate2 Root, X509Certificate2 Intermediate) InitCa(string organization, SigningAlgorithm alg = SigningAlgorithm.Es384,
        bool overwrite = false)
    {
        RequirePassphrase();
        if (HasCa && !overwrite) throw new KeyMaterialException($"a CA already exists in {Directory}");
        var org = DistinguishedName(organization);
        var root = CertificateAuthority.CreateRoot($"CN={org} Root CA, O={org}", alg, TimeSpan.FromDays(3650));
        var intermediate = CertificateAuthority.CreateIntermediate(root, $"CN={org} Intermediate CA, O={org}", alg, TimeSpan.FromDays(1825));
        Save(root, RootCertificatePath, RootKeyPath, []);
        Save(intermediate, IntermediateCertificatePath, IntermediateKeyPath, []);
        return (root, intermediate);
    }

    /// <summary>Issues the claim-signing credential under the intermediate CA and stores it as the default signer.</summary>
    public X509Certificate2 IssueClaimSigner(string commonName, SigningAlgorithm alg, TimeSpan lifetime)
    {
        using var intermediate = LoadCa(IntermediateCertificatePath, IntermediateKeyPath);
        var cert = CertificateAuthority.IssueClaimSigner(intermediate, SubjectUnder(intermediate, commonName), alg, lifetime);
        Save(cert, SignerChainPath, SignerKeyPath, [intermediate]);
        return cert;
    }

    /// <summary>Issues the time-stamping credential (timeStamping EKU only) under the intermediate CA.</summary>
    public X509Certificate2 IssueTimeStamping(string commonName, SigningAlgorithm alg, TimeSpan lifetime)
    {
        using var intermediate = LoadCa(IntermediateCertificatePath, IntermediateKeyPath);
        var cert = CertificateAuthority.IssueTimeStamping(intermediate, SubjectUnder(intermediate, commonName), alg, lifetime);
        Save(cert, TimeStampingChainPath, TimeStampingKeyPath, [intermediate]);
        return cert;
    }

    /// <summary>Writes the root certificate (the trust anchor verifiers configure) to <paramref name="path"/>.</summary>
    public void ExportCa(string path)
    {
        var certs = PemFiles.ReadCertificates(RootCertificatePath);
        PemFiles.WriteCertificates(path, certs);
    }

    /// <summary>The default claim signer from <see cref="SignerChainPath"/> and <see cref="SignerKeyPath"/>.</summary>
    public X509Signer LoadSigner() => X509Signer.FromPemFiles(SignerChainPath, SignerKeyPath, _passphrase);

    /// <summary>The time-stamping certificate (with its private key) and the rest of its chain.</summary>
    public (X509Certificate2 Certificate, IReadOnlyList<X509Certificate2> Chain) LoadTimeStamping()
    {
        var chain = PemFiles.ReadCertificates(TimeStampingChainPath);
        using var key = PemFiles.ReadKey(TimeStampingKeyPath, _passphrase);
        return (PemFiles.Attach(chain[0], key), chain.Skip(1).ToList());
    }

    public RevocationList LoadRevocations() => RevocationList.Load(RevocationListPath);

    private X509Certificate2 LoadCa(string certPath, string keyPath)
    {
        if (!HasCa) throw new KeyMaterialException($"no CA in {Directory}: run `provenance keys init-ca` first");
        var cert = PemFiles.ReadCertificates(certPath)[0];
        using var key = PemFiles.ReadKey(keyPath, _passphrase);
        using (cert) return PemFiles.Attach(cert, key);
    }

    private void Save(X509Certificate2 cert, string certPath, string keyPath, IReadOnlyList<X509Certificate2> rest)
    {
        using var key = PemFiles.PrivateKeyOf(cert);
        PemFiles.WriteEncryptedKey(keyPath, key, _passphrase!);
        PemFiles.WriteCertificates(certPath, [cert, .. rest]);
    }

    private void RequirePassphrase()
    {
        if (string.IsNullOrEmpty(_passphrase))
            throw new KeyMaterialException($"a passphrase is required: set Provenance:Keys:Passphrase or {PassphraseEnvironmentVariable}");
    }

    private static string SubjectUnder(X509Certificate2 issuer, string commonName)
    {
        var org = issuer.GetNameInfo(X509NameType.SimpleName, false);
        var o = new X500DistinguishedName(issuer.Subject).EnumerateRelativeDistinguishedNames()
            .FirstOrDefault(r => r.GetSingleElementType().Value == "2.5.4.10")?.GetSingleElementValue() ?? org;
        return $"CN={DistinguishedName(commonName)}, O={DistinguishedName(o)}";
    }

    // Keeps names to characters that need no escaping in a distinguished name.
    private static string DistinguishedName(string value)
    {
        var cleaned = new string(value.Where(c => char.IsLetterOrDigit(c) || c is ' ' or '-' or '.' or '_').ToArray()).Trim();
        return cleaned.Length == 0 ? "Provenance" : cleaned;
    }
}
