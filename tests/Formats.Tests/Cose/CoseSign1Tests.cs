using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Provenance.Formats.Cbor;
using Provenance.Formats.Cose;

namespace Provenance.Formats.Tests.Cose;

public sealed class CoseSign1Tests
{
    private static readonly byte[] Claim = "a claim that is signed detached"u8.ToArray();

    // cose-wg/Examples sign1-tests/sign-pass-02.json: ES256 with external AAD.
    [Fact]
    public void CoseWgVector_DecodesBuildsToBeSignedAndVerifies()
    {
        var encoded = Convert.FromHexString(
            "D28443A10126A10442313154546869732069732074686520636F6E74656E742E5840EAE868ECC176883766C5DC5BA5B8DCA25DAB3C2E56A551CE5705B793914348E155388B10C4F1B59A6733EAB416870A945111A4B2FBDBEF33A77234B1DEFF2F9B");
        var externalAad = Convert.FromHexString("11aa22bb33cc44dd55006699");
        using var key = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint
            {
                X = System.Buffers.Text.Base64Url.DecodeFromChars("usWxHK2PmfnHKwXPS54m0kTcGJ90UiglWiGahtagnv8"),
                Y = System.Buffers.Text.Base64Url.DecodeFromChars("IBOL-C3BttVivg-lSreASjpkttcsz-1rb7btKLv8EX4"),
            },
        });

        var message = CoseSign1Message.Decode(encoded);

        Assert.True(message.IsTagged);
        Assert.Equal(CoseAlgorithm.ES256, message.Algorithm);
        Assert.Equal("11", System.Text.Encoding.ASCII.GetString(message.UnprotectedHeaders[CoseHeaderLabels.KeyId].AsBytes()));
        Assert.Equal(
            "846A5369676E61747572653143A101264C11AA22BB33CC44DD5500669954546869732069732074686520636F6E74656E742E",
            Convert.ToHexString(message.ToBeSigned(message.Payload, externalAad)));
        Assert.True(message.VerifyDetached(message.Payload, key, externalAad));
        Assert.False(message.VerifyDetached(message.Payload, key));
        Assert.Equal(encoded, message.Encode());
    }

    [Theory]
    [InlineData("nistP256", CoseAlgorithm.ES256)]
    [InlineData("nistP384", CoseAlgorithm.ES384)]
    [InlineData("nistP521", CoseAlgorithm.ES512)]
    public void SignDetached_Ecdsa_VerifiesWithCertificateAndRejectsTampering(string curve, CoseAlgorithm expected)
    {
        using var key = ECDsa.Create(ECCurve.CreateFromFriendlyName(curve));
        using var certificate = CoseTestKeys.SelfSigned(key);

        var encoded = CoseSign1.Sign(Claim, new CoseSigner(key, [certificate.RawData]));
        var message = CoseSign1Message.Decode(encoded);

        Assert.Equal(expected, message.Algorithm);
        Assert.Null(message.Payload);
        Assert.Equal(certificate.RawData, Assert.Single(message.CertificateChain));
        Assert.True(message.IsCertificateChainProtected);
        Assert.True(message.VerifyDetached(Claim, certificate));
        Assert.False(message.VerifyDetached("another claim"u8, certificate));
    }

    [Theory]
    [InlineData(CoseAlgorithm.PS256)]
    [InlineData(CoseAlgorithm.PS384)]
    [InlineData(CoseAlgorithm.PS512)]
    public void SignDetached_RsaPss_VerifiesWithCertificate(CoseAlgorithm algorithm)
    {
        using var key = RSA.Create(2048);
        using var certificate = CoseTestKeys.SelfSigned(key);

        var message = CoseSign1Message.Decode(CoseSign1.Sign(Claim, new CoseSigner(key, algorithm, [certificate.RawData])));

        Assert.Equal(algorithm, message.Algorithm);
        Assert.True(message.VerifyDetached(Claim, certificate));
        Assert.False(message.VerifyDetached(Claim.AsSpan(1), certificate));
    }

    [Fact]
    public void SignDetached_Ed25519_VerifiesWithRawPublicKey()
    {
        var privateKey = Ed25519.GeneratePrivateKey();

        var message = CoseSign1Message.Decode(CoseSign1.Sign(Claim, CoseSigner.ForEd25519(privateKey, [])));

        Assert.Equal(CoseAlgorithm.EdDSA, message.Algorithm);
        Assert.Empty(message.CertificateChain);
        Assert.True(message.VerifyDetachedEd25519(Claim, Ed25519.PublicKeyFromPrivate(privateKey)));
        Assert.False(message.VerifyDetachedEd25519(Claim, Ed25519.PublicKeyFromPrivate(Ed25519.GeneratePrivateKey())));
    }

    [Fact]
    public void SignDetached_Ed25519_VerifiesWithAnEd25519CertificateIssuedByAnEcdsaCa()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var ca = CoseTestKeys.SelfSigned(caKey);
        var privateKey = Ed25519.GeneratePrivateKey();
        var publicKey = new PublicKey(new System.Security.Cryptography.Oid("1.3.101.112"), null, new AsnEncodedData(Ed25519.PublicKeyFromPrivate(privateKey)));
        var request = new CertificateRequest(new X500DistinguishedName("CN=Ed25519 signer"), publicKey, HashAlgorithmName.SHA256);
        using var certificate = request.Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey), DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1), [1, 2, 3, 4]);

        var message = CoseSign1Message.Decode(CoseSign1.Sign(Claim, CoseSigner.ForEd25519(privateKey, [certificate.RawData, ca.RawData])));

        Assert.Equal(2, message.CertificateChain.Count);
        Assert.True(message.VerifyDetached(Claim, X509CertificateLoader.LoadCertificate(message.CertificateChain[0])));
        Assert.False(message.VerifyDetached("other"u8, certificate));
        Assert.Equal(CoseErrorKind.KeyMismatch, Assert.Throws<CoseException>(() => message.VerifyDetached(Claim, ca)).Kind);
    }

    [Fact]
    public void Sign_ChainOfSeveralCertificates_IsAnArrayEndEntityFirst()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        byte[][] chain = [[1, 2, 3], [4, 5, 6]];

        var message = CoseSign1Message.Decode(CoseSign1.Sign(Claim, new CoseSigner(key, chain)));

        Assert.IsType<CborArray>(message.ProtectedHeaders[CoseHeaderLabels.X5Chain]);
        Assert.Equal(chain, message.CertificateChain);
        Assert.Equal("{1: -7, 33: [h'010203', h'040506']}", message.ProtectedHeaders.ToString());
    }

    [Fact]
    public void Signer_NonNistCurve_IsRefused()
    {
        using var brainpool = ECDsa.Create(ECCurve.NamedCurves.brainpoolP256r1);

        Assert.Throws<ArgumentException>(() => new CoseSigner(brainpool, []));
    }

    [Fact]
    public void Verify_WrongKeyType_IsKeyMismatch()
    {
        using var ecKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var rsaKey = RSA.Create(2048);
        using var otherCurve = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var message = CoseSign1.CreateDetached(Claim, new CoseSigner(ecKey, []));

        Assert.Equal(CoseErrorKind.KeyMismatch, Assert.Throws<CoseException>(() => message.VerifyDetached(Claim, rsaKey)).Kind);
        Assert.Equal(CoseErrorKind.KeyMismatch, Assert.Throws<CoseException>(() => message.VerifyDetached(Claim, otherCurve)).Kind);
    }

    [Fact]
    public void UnprotectedEntries_ArePreservedAndDoNotAffectTheSignature()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var message = CoseSign1.CreateDetached(Claim, new CoseSigner(key, []));
        var token = new byte[] { 0x30, 0x03, 0x02, 0x01, 0x01 };
        message.UnprotectedHeaders["sigTst2"] = new CborMap { ["tstTokens"] = new CborArray { new CborMap { ["val"] = token } } };
        message.UnprotectedHeaders["rVals"] = new CborMap { ["ocspVals"] = new CborArray { new byte[] { 9 } } };

        var decoded = CoseSign1Message.Decode(message.Encode());

        Assert.Equal(token, decoded.UnprotectedHeaders["sigTst2"].AsMap()["tstTokens"].AsArray()[0].AsMap()["val"].AsBytes());
        Assert.Equal(2, decoded.UnprotectedHeaders.Count);
        Assert.True(decoded.VerifyDetached(Claim, key));
    }

    [Fact]
    public void CounterSignatureToBeSigned_CoversProtectedHeaderAndEncodedSignature()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var message = CoseSign1.CreateDetached(Claim, new CoseSigner(key, []));

        var structure = CborValue.Decode(message.CounterSignatureToBeSigned()).AsArray();

        Assert.Equal("CounterSignature", structure[0].AsText());
        Assert.Equal(message.ProtectedHeaderBytes, structure[1].AsBytes());
        Assert.Empty(structure[2].AsBytes());
        Assert.Equal(message.Signature, CborValue.Decode(structure[3].AsBytes()).AsBytes());
    }

    [Fact]
    public void EncodePadded_HitsEveryTargetSizeAndStillVerifies()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var message = CoseSign1.CreateDetached(Claim, new CoseSigner(key, [new byte[300]]));
        int baseLength = message.Encode().Length;

        for (int target = baseLength + 5; target < baseLength + 400; target++)
        {
            var padded = message.EncodePadded(target);

            Assert.Equal(target, padded.Length);
            var decoded = CoseSign1Message.Decode(padded);
            Assert.True(decoded.VerifyDetached(Claim, key));
            Assert.True(decoded.UnprotectedHeaders["pad"].AsBytes().All(b => b == 0));
        }
        Assert.Equal(baseLength + 70000, message.EncodePadded(baseLength + 70000).Length);
        Assert.Equal(CoseErrorKind.SizeUnreachable, Assert.Throws<CoseException>(() => message.EncodePadded(baseLength + 2)).Kind);
    }
}

public sealed class CoseSign1DecodeTests
{
    [Theory]
    [InlineData("a0", "array")]                                   // a map
    [InlineData("d283400a40f6", "four")]                          // three items
    [InlineData("d38443a10126a0f640", "tag 18")]                  // tag 19
    [InlineData("d28443a10126a10126f640", "both")]                // alg in both buckets
    [InlineData("d2844a0a0a0a0a0a0a0a0a0aa0f640", "CBOR")]       // protected header is not CBOR
    [InlineData("d2844101a0f640", "map")]                         // protected header encodes an integer
    [InlineData("d28441a0a0f640", "zero-length")]                 // empty map not as empty bstr
    [InlineData("d28443a10126a11821 01f640", "x5chain")]          // x5chain is an integer
    [InlineData("d28443a10126a0f64000", "CBOR")]                  // trailing byte
    [InlineData("d28443a10126a0f6f6", "signature")]               // signature is null
    [InlineData("d28443a10126a0 01 40", "payload")]               // payload is an integer
    [InlineData("d28443a10126a1f401f640", "label")]               // label false
    public void Decode_MalformedMessage_ThrowsCoseException(string hex, string messagePart)
    {
        var error = Assert.Throws<CoseException>(() => CoseSign1Message.Decode(Convert.FromHexString(hex.Replace(" ", ""))));

        Assert.Equal(CoseErrorKind.Malformed, error.Kind);
        Assert.Contains(messagePart, error.Message);
    }

    [Fact]
    public void CertificateChain_LegacyTextLabelInUnprotectedHeader_IsFound()
    {
        // 18([h'a10126', {"x5chain": [h'01', h'02']}, nil, h''])
        var message = CoseSign1Message.Decode(Convert.FromHexString("d28443a10126a1677835636861696e824101410 2f640".Replace(" ", "")));

        Assert.Equal([[1], [2]], message.CertificateChain);
        Assert.False(message.IsCertificateChainProtected);
    }

    [Fact]
    public void Decode_UntaggedMessage_IsAccepted()
    {
        var message = CoseSign1Message.Decode(Convert.FromHexString("8443a10126a0f640"));

        Assert.False(message.IsTagged);
        Assert.Equal(CoseAlgorithm.ES256, message.Algorithm);
    }

    [Fact]
    public void Algorithm_UnknownValue_IsUnsupportedAlgorithm()
    {
        // alg = -257 (RS256): not a C2PA algorithm.
        var message = CoseSign1Message.Decode(Convert.FromHexString("d28445a101390100a0f640"));

        Assert.Equal(CoseErrorKind.UnsupportedAlgorithm, Assert.Throws<CoseException>(() => message.Algorithm).Kind);
    }
}
