using System.Security.Cryptography.X509Certificates;
using Provenance.Signer.Certificates;

namespace Provenance.Signer.Tests;

public sealed class KeyFolderTests
{
    private const string Passphrase = "correct horse battery staple";

    [Fact]
    public void InitCaAndIssue_WriteEncryptedOwnerOnlyKeysAndAChainToTheRoot()
    {
        using var temp = new TempFolder();
        var folder = new KeyFolder(temp.File("keys"), Passphrase);
        var (root, intermediate) = folder.InitCa("Example Org");
        var signer = folder.IssueClaimSigner("Example Signer", SigningAlgorithm.Es256, TimeSpan.FromDays(30));

        foreach (var key in new[] { folder.RootKeyPath, folder.IntermediateKeyPath, folder.SignerKeyPath })
        {
            var text = File.ReadAllText(key);
            Assert.Contains("BEGIN ENCRYPTED PRIVATE KEY", text);
            if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.ExtraStore.Add(intermediate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.True(chain.Build(signer), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));

        using var loaded = folder.LoadSigner();
        Assert.Equal(2, loaded.Chain.Count);
        Assert.Equal(signer.Thumbprint, loaded.Chain[0].Thumbprint);
        Assert.Equal(SigningAlgorithm.Es256, loaded.Algorithm);
    }

    [Fact]
    public void LoadSigner_WithTheWrongPassphrase_FailsWithKeyMaterialException()
    {
        using var temp = new TempFolder();
        var folder = new KeyFolder(temp.File("keys"), Passphrase);
        folder.InitCa("Example Org");
        folder.IssueClaimSigner("Example Signer", SigningAlgorithm.Es256, TimeSpan.FromDays(30));

        var wrong = new KeyFolder(temp.File("keys"), "not the passphrase");
        Assert.Throws<KeyMaterialException>(() => wrong.LoadSigner());
        var none = new KeyFolder(temp.File("keys"), null);
        var e = Assert.Throws<KeyMaterialException>(() => none.LoadSigner());
        Assert.Contains("PROVENANCE_KEYS_PASSPHRASE", e.Message);
    }

    [Fact]
    public void InitCa_WithoutAPassphrase_Refuses()
    {
        using var temp = new TempFolder();
        var folder = new KeyFolder(temp.File("keys"), "");
        Assert.Throws<KeyMaterialException>(() => folder.InitCa("Example Org"));
        Assert.False(File.Exists(folder.RootKeyPath));
    }

    [Fact]
    public void InitCa_Twice_RefusesToReplaceTheExistingCa()
    {
        using var temp = new TempFolder();
        var folder = new KeyFolder(temp.File("keys"), Passphrase);
        var (root, _) = folder.InitCa("Example Org");
        Assert.Throws<KeyMaterialException>(() => folder.InitCa("Example Org"));
        Assert.Equal(root.Thumbprint, PemFiles.ReadCertificates(folder.RootCertificatePath)[0].Thumbprint);
    }

    [Theory]
    [InlineData(SigningAlgorithm.Es256)]
    [InlineData(SigningAlgorithm.Es384)]
    [InlineData(SigningAlgorithm.Ps256)]
    public void IssuedClaimSigner_HasTheProfileC2paRequires(SigningAlgorithm alg)
    {
        using var temp = new TempFolder();
        var folder = new KeyFolder(temp.File("keys"), Passphrase);
        folder.InitCa("Example Org");
        var cert = folder.IssueClaimSigner("Example Signer", alg, TimeSpan.FromDays(30));

        Assert.Equal(3, cert.Version);
        var basic = cert.Extensions.OfType<X509BasicConstraintsExtension>().Single();
        Assert.False(basic.CertificateAuthority);
        var ku = cert.Extensions.OfType<X509KeyUsageExtension>().Single();
        Assert.True(ku.Critical);
        Assert.Equal(X509KeyUsageFlags.DigitalSignature, ku.KeyUsages);
        var eku = cert.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single();
        Assert.Contains(eku.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>(), o => o.Value == CertificateAuthority.ClaimSigningEku);
        Assert.Single(cert.Extensions.OfType<X509AuthorityKeyIdentifierExtension>());
        Assert.Single(cert.Extensions.OfType<X509SubjectKeyIdentifierExtension>());
        Assert.NotEqual(cert.Subject, cert.Issuer);

        using var signer = folder.LoadSigner();
        Assert.Equal(alg is SigningAlgorithm.Ps256 ? SigningAlgorithm.Ps256 : alg, signer.Algorithm);
        Assert.Equal(signer.ReservedSignatureSize, signer.Sign("hello"u8).Length);
    }

    [Fact]
    public void Revoke_IsRecordedAndFoundByIssuerAndSerial()
    {
        using var temp = new TempFolder();
        var folder = new KeyFolder(temp.File("keys"), Passphrase);
        folder.InitCa("Example Org");
        var first = folder.IssueClaimSigner("First", SigningAlgorithm.Es256, TimeSpan.FromDays(30));
        var second = folder.IssueClaimSigner("Second", SigningAlgorithm.Es256, TimeSpan.FromDays(30));

        var list = folder.LoadRevocations();
        list.Revoke(first, DateTimeOffset.UtcNow, "keyCompromise");
        list.Save(folder.RevocationListPath);

        var reloaded = folder.LoadRevocations();
        Assert.NotNull(reloaded.Find(first));
        Assert.Equal("keyCompromise", reloaded.Find(first)!.Reason);
        Assert.Null(reloaded.Find(second));
    }
}
