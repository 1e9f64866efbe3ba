using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Provenance.Signer.Certificates;
using Provenance.Signer.Embedding;
using Provenance.Signer.Verification;

namespace Provenance.Signer.Tests;

/// <summary>Our verifier against c2pa-rs: same verdicts and codes on files either side signed or damaged.</summary>
public sealed class VerifierInteropTests
{
    private static List<string> Codes(C2paValidationResult result, ValidationStatusKind kind) =>
        result.Statuses.Where(s => s.Kind == kind).Select(s => s.Code).Order(StringComparer.Ordinal).ToList();

    private static List<string> Sorted(IEnumerable<string> codes) => codes.Order(StringComparer.Ordinal).ToList();

    [Fact]
    public async Task OurSignedClip_IsTrustedWithTheSameSuccessCodesAsC2paRs()
    {
        using var temp = new TempFolder();
        var creds = TestCredentials.For(SigningAlgorithm.Es256);
        var output = temp.File("signed.mp4");
        using (var signer = creds.Signer())
            await Mp4Embedder.SignAsync(await TestClips.PlainAsync(), output, InteropSigningTests.AiManifest("signed.mp4"), signer, creds.TimeStamper(), CancellationToken.None);

        var ours = await C2paVerifier.VerifyAsync(output, creds.Trust(), CancellationToken.None);
        var theirs = (await C2paCheck.CheckAsync(output, creds.WriteRootPem(temp)))[0];

        Assert.Equal(C2paState.Trusted, ours.State);
        Assert.Equal(Sorted(theirs.Success), Codes(ours, ValidationStatusKind.Success));
        Assert.NotNull(ours.ActiveManifest);
        Assert.Equal("signed.mp4", ours.ActiveManifest!.Title);
        Assert.Equal(["c2pa.created", "c2pa.watermarked"], ours.ActiveManifest.Actions.Select(a => a.Action));
        var created = ours.ActiveManifest.Actions[0];
        Assert.Equal("http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia", created.DigitalSourceType);
        Assert.Equal(2, ours.ActiveManifest.SoftBindings.Count);
        Assert.True(ours.ActiveManifest.Signature!.TimeStamped);
        Assert.NotNull(ours.ActiveManifest.Signature.SigningTime);
        Assert.Contains("Provenance Test Signer", ours.ActiveManifest.Signature.Subject);
    }

    [Fact]
    public async Task OurSignedClip_WithoutTrustAnchors_IsValidButUntrusted()
    {
        using var temp = new TempFolder();
        var creds = TestCredentials.For(SigningAlgorithm.Es256);
        var output = temp.File("signed.mp4");
        using (var signer = creds.Signer())
            await Mp4Embedder.SignAsync(await TestClips.FastStartAsync(), output, InteropSigningTests.AiManifest("x"), signer, null, CancellationToken.None);

        var ours = await C2paVerifier.VerifyAsync(output, TrustList.None, CancellationToken.None);

        Assert.Equal(C2paState.Valid, ours.State);
        Assert.Equal(["signingCredential.untrusted"], Codes(ours, ValidationStatusKind.Failure));
    }

    public static TheoryData<string> C2paRsAlgorithms => new() { "es256", "es384", "es512", "ps256", "ps384", "ps512", "ed25519" };

    [Theory]
    [MemberData(nameof(C2paRsAlgorithms))]
    public async Task C2paRsSignedClip_IsValidThenTrustedWithItsCa_WithTheSameCodes(string alg)
    {
        using var temp = new TempFolder();
        var (cert, key, ca) = await C2paRsCredentialsAsync(alg, temp);
        var signed = temp.File("c2pa-rs.mp4");
        await C2paCheck.SignAsync(await TestClips.PlainAsync(), signed, cert, key, alg);

        var untrusted = await C2paVerifier.VerifyAsync(signed, TrustList.None, CancellationToken.None);
        var theirsUntrusted = (await C2paCheck.CheckAsync(signed, null))[0];
        Assert.Equal(C2paState.Valid, untrusted.State);
        Assert.Equal(Sorted(theirsUntrusted.Success), Codes(untrusted, ValidationStatusKind.Success));
        Assert.Equal(Sorted(theirsUntrusted.Failure), Codes(untrusted, ValidationStatusKind.Failure));

        var trusted = await C2paVerifier.VerifyAsync(signed, TrustList.FromPemFiles([ca]), CancellationToken.None);
        var theirsTrusted = (await C2paCheck.CheckAsync(signed, ca))[0];
        Assert.Equal(C2paState.Trusted, trusted.State);
        Assert.Equal("Trusted", theirsTrusted.State);
        Assert.Equal(Sorted(theirsTrusted.Success), Codes(trusted, ValidationStatusKind.Success));
        Assert.Equal(alg, trusted.ActiveManifest!.Signature!.Algorithm);
        Assert.Contains(trusted.ActiveManifest.ClaimGenerator, g => g.Name == "c2pa-check/sign.js");
    }

    [Theory]
    [InlineData("mdat")]
    [InlineData("moov")]
    [InlineData("signature")]
    [InlineData("assertion")]
    [InlineData("bmff-hash")]
    public async Task C2paRsSignedClip_AfterTampering_IsInvalidWithTheFailureCodesC2paRsReports(string target)
    {
        using var temp = new TempFolder();
        var (cert, key, ca) = await C2paRsCredentialsAsync("es256", temp);
        var signed = temp.File("c2pa-rs.mp4");
        await C2paCheck.SignAsync(await TestClips.PlainAsync(), signed, cert, key, "es256");
        var tampered = temp.File("tampered.mp4");
        if (target is "mdat" or "moov") await C2paCheck.TamperAsync(signed, tampered, target);
        else await C2paCheck.TamperAsync(signed, tampered, "uuid", ManifestOffset(signed, target));

        var ours = await C2paVerifier.VerifyAsync(tampered, TrustList.FromPemFiles([ca]), CancellationToken.None);
        var theirs = (await C2paCheck.CheckAsync(tampered, ca))[0];

        Assert.Equal("Invalid", theirs.State);
        Assert.Equal(C2paState.Invalid, ours.State);
        Assert.NotEmpty(theirs.Failure);
        Assert.Equal(Sorted(theirs.Failure), Codes(ours, ValidationStatusKind.Failure));
    }

    /// <summary>An offset inside the uuid box payload (as tamper.js counts) of a chosen part of the manifest.</summary>
    private static long ManifestOffset(string file, string target)
    {
        var bytes = File.ReadAllBytes(file);
        int uuidPayload = 8 + 4 + 4 + 16; // ftyp is 32 bytes in ffmpeg's output; uuid header is 24
        int ftypSize = (bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3];
        uuidPayload = ftypSize + 24;
        int at = target switch
        {
            // the last bytes of the signature box hold the ECDSA signature itself
            "signature" => IndexOf(bytes, "c2pa.signature"u8.ToArray(), 2) is var s and >= 0 ? EndOfSuperboxContaining(bytes, s) - 10 : -1,
            // a byte of the salt in the actions assertion's description box: the assertion hash changes
            "assertion" => IndexOf(bytes, "c2pa.actions.v2\0"u8.ToArray(), 1) + 16 + 12,
            // a byte of the BMFF hash value: both the assertion hash and the media hash stop matching
            "bmff-hash" => IndexOf(bytes, [0x64, 0x68, 0x61, 0x73, 0x68, 0x58, 0x20], 1) + 7 + 5,
            _ => throw new ArgumentOutOfRangeException(nameof(target)),
        };
        Assert.True(at > uuidPayload, $"target {target} not found");
        return at - uuidPayload;
    }

    private static int IndexOf(byte[] haystack, byte[] needle, int occurrence)
    {
        int from = 0, found = -1;
        for (int i = 0; i < occurrence; i++)
        {
            found = haystack.AsSpan(from).IndexOf(needle);
            if (found < 0) return -1;
            found += from;
            from = found + 1;
        }
        return found;
    }

    // The signature superbox starts 8+4+16+1 bytes before its label (jumb header, jumd header, type, toggles).
    private static int EndOfSuperboxContaining(byte[] bytes, int labelAt)
    {
        int superbox = labelAt - 8 - 8 - 16 - 1;
        int size = (bytes[superbox] << 24) | (bytes[superbox + 1] << 16) | (bytes[superbox + 2] << 8) | bytes[superbox + 3];
        return superbox + size;
    }

    /// <summary>A credential for sign.js: ES/Ed from the checker's own openssl script, RSA from our CA (PS256).</summary>
    internal static async Task<(string Cert, string Key, string Ca)> C2paRsCredentialsAsync(string alg, TempFolder temp)
    {
        var folder = temp.File("certs-" + alg);
        if (alg.StartsWith("ps", StringComparison.Ordinal))
        {
            Directory.CreateDirectory(folder);
            var creds = TestCredentials.For(SigningAlgorithm.Ps256);
            PemFiles.WriteCertificates(Path.Combine(folder, "signer.pem"), [creds.SignerCertificate, creds.Intermediate]);
            using var rsa = creds.SignerCertificate.GetRSAPrivateKey()!;
            File.WriteAllText(Path.Combine(folder, "signer.key"), rsa.ExportPkcs8PrivateKeyPem());
            PemFiles.WriteCertificates(Path.Combine(folder, "ca.pem"), [creds.Root]);
        }
        else
        {
            await C2paCheck.GenerateCertificatesAsync(alg, folder);
        }
        return (Path.Combine(folder, "signer.pem"), Path.Combine(folder, "signer.key"), Path.Combine(folder, "ca.pem"));
    }
}
