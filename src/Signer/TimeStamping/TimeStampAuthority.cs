using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using Provenance.Signer.Certificates;

namespace Provenance.Signer.TimeStamping;

/// <summary>
/// A development RFC 3161 time-stamp authority: turns a DER <c>TimeStampReq</c> into a DER
/// <c>TimeStampResp</c> whose token is signed by a certificate carrying only the timeStamping EKU.
/// The token carries the TSA certificate and its chain and a signing-certificate-v2 attribute (RFC 5816).
/// </summary>
public sealed class TimeStampAuthority
{
    /// <summary>The policy this authority stamps under (a private arc; development use only).</summary>
    public const string DefaultPolicy = "1.3.6.1.4.1.62558.99.1";
    private const string TstInfoContentType = "1.2.840.113549.1.9.16.1.4";
    private const string SigningCertificateV2 = "1.2.840.113549.1.9.16.2.47";
    private const int MaxRequestBytes = 64 * 1024;

    private readonly X509Certificate2 _certificate;
    private readonly IReadOnlyList<X509Certificate2> _chain;
    private readonly Oid _policy;
    private readonly Func<DateTimeOffset> _clock;

    /// <param name="certificate">The TSA certificate with its private key.</param>
    /// <param name="chain">Intermediates to include in tokens (not the root).</param>
    public TimeStampAuthority(X509Certificate2 certificate, IReadOnlyList<X509Certificate2> chain, string policy = DefaultPolicy,
        Func<DateTimeOffset>? clock = null)
    {
        if (!certificate.HasPrivateKey) throw new ArgumentException("the TSA certificate needs its private key", nameof(certificate));
        _certificate = certificate;
        _chain = chain;
        _policy = new Oid(policy);
        _clock = clock ?? (() => DateTimeOffset.UtcNow);
    }

    public X509Certificate2 Certificate => _certificate;

    /// <summary>Answers one request. Malformed or unsupported requests get a rejection response, never an exception.</summary>
    public byte[] Respond(ReadOnlySpan<byte> request)
    {
        if (request.Length > MaxRequestBytes
            || !Rfc3161TimestampRequest.TryDecode(request.ToArray(), out var parsed, out int consumed)
            || consumed != request.Length)
            return Rejection(FailureInfo.BadDataFormat);
        if (parsed.HashAlgorithmId.Value is not ("2.16.840.1.101.3.4.2.1" or "2.16.840.1.101.3.4.2.2" or "2.16.840.1.101.3.4.2.3"))
            return Rejection(FailureInfo.BadAlg);
        if (parsed.RequestedPolicyId is { } wanted && wanted.Value != _policy.Value)
            return Rejection(FailureInfo.UnacceptedPolicy);
        if (parsed.HasExtensions) return Rejection(FailureInfo.UnacceptedExtension);
        return Granted(CreateToken(parsed.HashAlgorithmId, parsed.GetMessageHash(), parsed.GetNonce()));
    }

    /// <summary>A DER <c>TimeStampToken</c> (CMS ContentInfo) over a message hash.</summary>
    public byte[] CreateToken(Oid hashAlgorithm, ReadOnlyMemory<byte> messageHash, ReadOnlyMemory<byte>? nonce)
    {
        // A leading zero byte followed by one below 0x80 is not minimal DER, and the encoder throws on it.
        var serial = CertificateAuthority.NewSerial();
        var info = new Rfc3161TimestampTokenInfo(_policy, hashAlgorithm, messageHash, serial, _clock(),
            accuracyInMicroseconds: 1_000_000, isOrdering: false, nonce: nonce);
        var cms = new SignedCms(new ContentInfo(new Oid(TstInfoContentType), info.Encode()), detached: false);
        var signer = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, _certificate)
        {
            DigestAlgorithm = new Oid("2.16.840.1.101.3.4.2.1"),
            IncludeOption = X509IncludeOption.EndCertOnly,
        };
        foreach (var c in _chain) signer.Certificates.Add(c);
        signer.SignedAttributes.Add(new AsnEncodedData(SigningCertificateV2, EssCertIdV2(_certificate)));
        cms.ComputeSignature(signer, silent: true);
        return cms.Encode();
    }

    // SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 }; ESSCertIDv2 with the default
    // hash (SHA-256) omitted: SEQUENCE { certHash OCTET STRING }.
    private static byte[] EssCertIdV2(X509Certificate2 cert)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        using (writer.PushSequence())
        using (writer.PushSequence())
            writer.WriteOctetString(SHA256.HashData(cert.RawData));
        return writer.Encode();
    }

    private static byte[] Granted(byte[] token)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence()) writer.WriteInteger(0);
            writer.WriteEncodedValue(token);
        }
        return writer.Encode();
    }

    private enum FailureInfo { BadAlg = 0, BadRequest = 2, BadDataFormat = 5, UnacceptedPolicy = 15, UnacceptedExtension = 16 }

    private static byte[] Rejection(FailureInfo failure)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        using (writer.PushSequence())
        {
            writer.WriteInteger(2); // rejection
            int bit = (int)failure;
            var bits = new byte[bit / 8 + 1];
            bits[bit / 8] = (byte)(0x80 >> (bit % 8));
            writer.WriteBitString(bits, 7 - bit % 8);
        }
        return writer.Encode();
    }
}
