using Provenance.Formats.Cbor;

namespace Provenance.Formats.Cose;

/// <summary>Creates COSE_Sign1 signatures with a detached payload, the way C2PA signs claims.</summary>
public static class CoseSign1
{
    /// <summary>Signs a detached payload and returns the tagged COSE_Sign1 encoding.</summary>
    public static byte[] Sign(ReadOnlySpan<byte> detachedPayload, CoseSigner signer, CborMap? unprotectedHeaders = null) =>
        CreateDetached(detachedPayload, signer, unprotectedHeaders).Encode();

    /// <summary>
    /// Signs a detached payload. The protected header holds alg and x5chain (one certificate as a byte string,
    /// several as an array). The unprotected header of the result can still be extended (time stamp, padding).
    /// </summary>
    public static CoseSign1Message CreateDetached(ReadOnlySpan<byte> detachedPayload, CoseSigner signer, CborMap? unprotectedHeaders = null, ReadOnlySpan<byte> externalAad = default)
    {
        ArgumentNullException.ThrowIfNull(signer);
        var protectedHeaders = new CborMap { { CoseHeaderLabels.Algorithm, (long)signer.Algorithm } };
        if (signer.CertificateChain.Count == 1)
            protectedHeaders.Add(CoseHeaderLabels.X5Chain, signer.CertificateChain[0]);
        else if (signer.CertificateChain.Count > 1)
            protectedHeaders.Add(CoseHeaderLabels.X5Chain, new CborArray(signer.CertificateChain.Select(der => (CborValue)der)));
        var protectedBytes = protectedHeaders.Encode();

        var unprotected = new CborMap();
        if (unprotectedHeaders is not null)
        {
            foreach (var (key, value) in unprotectedHeaders)
            {
                if (protectedHeaders.ContainsKey(key))
                    throw new ArgumentException($"header {key} is already in the protected header", nameof(unprotectedHeaders));
                unprotected.Add(key, value);
            }
        }

        var toBeSigned = SigStructure("Signature1", protectedBytes, externalAad, detachedPayload);
        var signature = signer.Sign(toBeSigned);
        return new CoseSign1Message(protectedBytes, protectedHeaders, unprotected, payload: null, signature, isTagged: true);
    }

    /// <summary>The Sig_structure (RFC 9052 §4.4): <c>[context, body_protected, external_aad, payload]</c>.</summary>
    public static byte[] SigStructure(string context, ReadOnlySpan<byte> protectedHeaderBytes, ReadOnlySpan<byte> externalAad, ReadOnlySpan<byte> payload)
    {
        var writer = new CborWriter(protectedHeaderBytes.Length + externalAad.Length + payload.Length + 32);
        writer.WriteStartArray(4);
        writer.WriteTextString(context);
        writer.WriteByteString(protectedHeaderBytes);
        writer.WriteByteString(externalAad);
        writer.WriteByteString(payload);
        writer.WriteEndArray();
        return writer.Encode();
    }
}
