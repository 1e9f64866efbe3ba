using Provenance.Signer.Certificates;
using Provenance.Signer.Embedding;
using Provenance.Signer.Signing;
using Provenance.Signer.TimeStamping;
using Provenance.Signer.Verification;

namespace Provenance.Signer.Tests;

/// <summary>Certificate validity, profile and revocation, judged the same way by our verifier and c2pa-rs.</summary>
public sealed class SigningCredentialTests
{
    private static List<string> Failures(C2paValidationResult r) => r.Failures.Select(f => f.Code).Order(StringComparer.Ordinal).ToList();

    private static async Task<string> SignAsync(TempFolder temp, ISigner signer, ITimeStamper? stamper)
    {
        var output = temp.File($"signed-{Guid.NewGuid():N}.mp4");
        await Mp4Embedder.SignAsync(await TestClips.PlainAsync(), output, InteropSigningTests.AiManifest("x"), signer, stamper, CancellationToken.None);
        return output;
    }

    [Fact]
    public async Task ExpiredSigner_WithoutTimeStamp_IsExpiredForBothVerifiers()
    {
        using var temp = new TempFolder();
        var creds = TestCredentials.For(SigningAlgorithm.Es256);
        var expired = CertificateAuthority.IssueEndEntity(creds.Intermediate, "CN=Expired Signer, O=Provenance Tests", SigningAlgorithm.Es256, TimeSpan.FromMinutes(-30),
            [CertificateAuthority.ClaimSigningEku], ekuCritical: false);
        using var signer = new X509Signer([expired, creds.Intermediate], PemFiles.PrivateKeyOf(expired));
        var file = await SignAsync(temp, signer, null);

        var ours = await C2paVerifier.VerifyAsync(file, creds.Trust(), CancellationToken.None);
        var theirs = (await C2paCheck.CheckAsync(file, creds.WriteRootPem(temp)))[0];

        Assert.Equal(C2paState.Invalid, ours.State);
        Assert.Contains("signingCredential.expired", Failures(ours));
        Assert.Contains("signingCredential.expired", theirs.Failure);
    }

    [Fact]
    public async Task ExpiredSigner_TimeStampedWhileValid_IsTrustedForBothVerifiers()
    {
        using var temp = new TempFolder();
        var creds = TestCredentials.For(SigningAlgorithm.Es256);
        var expired = CertificateAuthority.IssueEndEntity(creds.Intermediate, "CN=Expired Signer, O=Provenance Tests", SigningAlgorithm.Es256, TimeSpan.FromMinutes(-30),
            [CertificateAuthority.ClaimSigningEku], ekuCritical: false);
        using var signer = new X509Signer([expired, creds.Intermediate], PemFiles.PrivateKeyOf(expired));
        // The authority's clock says the signature was made 45 minutes ago, while the certificate was valid.
        var authority = new TimeStampAuthority(creds.TsaCertificate, [creds.Intermediate], clock: () => DateTimeOffset.UtcNow.AddMinutes(-45));
        var file = await SignAsync(temp, signer, new LocalTimeStamper(authority));

        var ours = await C2paVerifier.VerifyAsync(file, creds.Trust(), CancellationToken.None);
        var theirs = (await C2paCheck.CheckAsync(file, creds.WriteRootPem(temp)))[0];

        Assert.True(theirs.State == "Trusted", theirs.Json);
        Assert.Equal(C2paState.Trusted, ours.State);
        Assert.Contains(ours.Statuses, s => s.Code == "timeStamp.trusted");
        Assert.InRange(ours.ActiveManifest!.Signature!.SigningTime!.Value, expired.NotBefore, expired.NotAfter);
    }

    [Fact]
    public async Task SignerWithoutAnAllowedEku_IsInvalidCredentialForBothVerifiers()
    {
        using var temp = new TempFolder();
        var creds = TestCredentials.For(SigningAlgorithm.Es256);
        var serverAuth = CertificateAuthority.IssueEndEntity(creds.Intermediate, "CN=Web Server, O=Provenance Tests", SigningAlgorithm.Es256, TimeSpan.FromDays(1),
            ["1.3.6.1.5.5.7.3.1"], ekuCritical: false);
        using var signer = new X509Signer([serverAuth, creds.Intermediate], PemFiles.PrivateKeyOf(serverAuth));
        var file = await SignAsync(temp, signer, null);

        var ours = await C2paVerifier.VerifyAsync(file, creds.Trust(), CancellationToken.None);
        var theirs = (await C2paCheck.CheckAsync(file, creds.WriteRootPem(temp)))[0];

        Assert.Equal(C2paState.Invalid, ours.State);
        Assert.Equal(["signingCredential.invalid"], Failures(ours));
        Assert.Contains("signingCredential.invalid", theirs.Failure);
    }

    [Fact]
    public async Task SignerWithoutAnOrganisation_FailsTheSignatureCheckForBothVerifiers()
    {
        using var temp = new TempFolder();
        var creds = TestCredentials.For(SigningAlgorithm.Es256);
        var anonymous = CertificateAuthority.IssueEndEntity(creds.Intermediate, "CN=No Organisation", SigningAlgorithm.Es256, TimeSpan.FromDays(1),
            [CertificateAuthority.ClaimSigningEku], ekuCritical: false);
        using var signer = new X509Signer([anonymous, creds.Intermediate], PemFiles.PrivateKeyOf(anonymous));
        var file = await SignAsync(temp, signer, null);

        var ours = await C2paVerifier.VerifyAsync(file, creds.Trust(), CancellationToken.None);
        var theirs = (await C2paCheck.CheckAsync(file, creds.WriteRootPem(temp)))[0];

        Assert.Equal(C2paState.Invalid, ours.State);
        Assert.Equal(theirs.Failure.Order(StringComparer.Ordinal).ToList(), Failures(ours));
        Assert.Throws<ArgumentException>(() => CertificateAuthority.IssueClaimSigner(creds.Intermediate, "CN=No Organisation", SigningAlgorithm.Es256, TimeSpan.FromDays(1)));
    }

    [Fact]
    public async Task RevokedSigner_IsRefusedForSignaturesAfterTheRevocation()
    {
        using var temp = new TempFolder();
        var creds = TestCredentials.For(SigningAlgorithm.Es384);
        using var signer = creds.Signer();
        var file = await SignAsync(temp, signer, null);
        var stamped = await SignAsync(temp, signer, creds.TimeStamper());
        var revocations = RevocationList.Load(temp.File("revoked.json"));
        revocations.Revoke(creds.SignerCertificate, DateTimeOffset.UtcNow, "keyCompromise");
        var trust = creds.Trust().WithRevocations(revocations);

        var unstamped = await C2paVerifier.VerifyAsync(file, trust, CancellationToken.None);
        Assert.Equal(C2paState.Invalid, unstamped.State);
        Assert.Equal(["signingCredential.ocsp.revoked"], Failures(unstamped));

        // Time-stamped before the revocation: still trusted.
        var before = await C2paVerifier.VerifyAsync(stamped, trust, CancellationToken.None);
        Assert.Equal(C2paState.Trusted, before.State);
    }
}
