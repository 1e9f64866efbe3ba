using Provenance.Formats.Cbor;

namespace Provenance.Formats.Cose;

/// <summary>
/// A COSE_Sign1 message (RFC 9052 §4.2): protected header bytes, unprotected header map, payload (null when
/// detached) and signature. Decoding is strict and throws only <see cref="CoseException"/>.
/// </summary>
public sealed partial class CoseSign1Message
{
    /// <summary>CBOR tag of COSE_Sign1.</summary>
    public const ulong Tag = 18;

    internal CoseSign1Message(byte[] protectedHeaderBytes, CborMap protectedHeaders, CborMap unprotectedHeaders, byte[]? payload, byte[] signature, bool isTagged)
    {
        ProtectedHeaderBytes = protectedHeaderBytes;
        ProtectedHeaders = protectedHeaders;
        UnprotectedHeaders = unprotectedHeaders;
        Payload = payload;
        Signature = signature;
        IsTagged = isTagged;
    }

    /// <summary>The protected header exactly as encoded (what the signature covers).</summary>
    public byte[] ProtectedHeaderBytes { get; }

    /// <summary>The decoded protected header; treat as read-only (changing it does not change the signed bytes).</summary>
    public CborMap ProtectedHeaders { get; }

    /// <summary>The unprotected header; may be changed before <see cref="Encode"/> (time stamps, padding).</summary>
    public CborMap UnprotectedHeaders { get; }

    /// <summary>The embedded payload, or null when detached.</summary>
    public byte[]? Payload { get; }

    public byte[] Signature { get; }

    /// <summary>Whether the message carried CBOR tag 18.</summary>
    public bool IsTagged { get; }

    /// <summary>The algorithm from the protected header, or null when absent.</summary>
    public CoseAlgorithm? Algorithm
    {
        get
        {
            if (!ProtectedHeaders.TryGetValue(CoseHeaderLabels.Algorithm, out var value))
                return null;
            if (value is not CborInteger { Magnitude: < 1024 } integer)
                throw new CoseException(CoseErrorKind.UnsupportedAlgorithm, $"unsupported COSE algorithm {value}");
            long id = integer.AsInt64();
            if (!CoseAlgorithms.IsDefined(id))
                throw new CoseException(CoseErrorKind.UnsupportedAlgorithm, $"unsupported COSE algorithm {id}");
            return (CoseAlgorithm)id;
        }
    }

    /// <summary>
    /// x5chain certificates (DER, end-entity first) from the protected header, else the unprotected one, else the
    /// legacy text label "x5chain" that early C2PA signers put in the unprotected header; empty when absent.
    /// </summary>
    public IReadOnlyList<byte[]> CertificateChain =>
        ReadCertificateChain(ProtectedHeaders, CoseHeaderLabels.X5Chain)
        ?? ReadCertificateChain(UnprotectedHeaders, CoseHeaderLabels.X5Chain)
        ?? ReadCertificateChain(UnprotectedHeaders, LegacyX5ChainLabel)
        ?? [];

    private static readonly CborValue LegacyX5ChainLabel = "x5chain";

    /// <summary>Whether x5chain sits in the protected header (C2PA requires it there).</summary>
    public bool IsCertificateChainProtected => ProtectedHeaders.ContainsKey(CoseHeaderLabels.X5Chain);

    /// <summary>Decodes a COSE_Sign1 message, tagged (18) or untagged.</summary>
    public static CoseSign1Message Decode(ReadOnlyMemory<byte> encoded)
    {
        try
        {
            return DecodeCore(encoded);
        }
        catch (CborException e)
        {
            throw new CoseException(CoseErrorKind.Malformed, $"COSE_Sign1 is not valid CBOR: {e.Message}", e);
        }
    }

    private static CoseSign1Message DecodeCore(ReadOnlyMemory<byte> encoded)
    {
        var reader = new CborReader(encoded);
        bool tagged = false;
        if (reader.PeekState() == CborReaderState.Tag)
        {
            ulong tag = reader.ReadTag();
            if (tag != Tag)
                throw new CoseException(CoseErrorKind.Malformed, $"expected COSE_Sign1 tag 18, found tag {tag}");
            tagged = true;
        }
        if (reader.PeekState() != CborReaderState.StartArray)
            throw new CoseException(CoseErrorKind.Malformed, "COSE_Sign1 must be an array");
        if (reader.ReadStartArray() != 4)
            throw new CoseException(CoseErrorKind.Malformed, "COSE_Sign1 must be an array of four items");
        if (reader.PeekState() != CborReaderState.ByteString)
            throw new CoseException(CoseErrorKind.Malformed, "the protected header must be a byte string");
        var protectedBytes = reader.ReadByteString();
        var protectedHeaders = DecodeProtected(protectedBytes);
        if (reader.PeekState() != CborReaderState.StartMap)
            throw new CoseException(CoseErrorKind.Malformed, "the unprotected header must be a map");
        var unprotected = CborValue.Read(reader).AsMap();
        byte[]? payload = reader.PeekState() switch
        {
            CborReaderState.Null => ReadNull(reader),
            CborReaderState.ByteString => reader.ReadByteString(),
            _ => throw new CoseException(CoseErrorKind.Malformed, "the payload must be a byte string or null"),
        };
        if (reader.PeekState() != CborReaderState.ByteString)
            throw new CoseException(CoseErrorKind.Malformed, "the signature must be a byte string");
        var signature = reader.ReadByteString();
        reader.ReadEndArray();
        if (!reader.IsFinished)
            throw new CoseException(CoseErrorKind.Malformed, "COSE_Sign1 is followed by more data");

        foreach (var key in protectedHeaders.Keys)
        {
            if (unprotected.ContainsKey(key))
                throw new CoseException(CoseErrorKind.Malformed, $"header {key} appears in both header buckets");
        }
        var message = new CoseSign1Message(protectedBytes, protectedHeaders, unprotected, payload, signature, tagged);
        ValidateHeaders(message);
        return message;
    }

    private static byte[]? ReadNull(CborReader reader)
    {
        reader.ReadNull();
        return null;
    }

    private static CborMap DecodeProtected(byte[] bytes)
    {
        // RFC 9052 §3: an empty protected header is encoded as a zero-length byte string.
        if (bytes.Length == 0)
            return new CborMap();
        var value = CborValue.Decode(bytes);
        if (value is not CborMap map)
            throw new CoseException(CoseErrorKind.Malformed, "the protected header must encode a map");
        if (map.Count == 0)
            throw new CoseException(CoseErrorKind.Malformed, "an empty protected header must be a zero-length byte string");
        return map;
    }

    private static void ValidateHeaders(CoseSign1Message message)
    {
        foreach (var headers in new[] { message.ProtectedHeaders, message.UnprotectedHeaders })
        {
            foreach (var key in headers.Keys)
            {
                if (key is not (CborInteger or CborTextString))
                    throw new CoseException(CoseErrorKind.Malformed, $"header label {key} is neither an integer nor text");
            }
            ReadCertificateChain(headers, CoseHeaderLabels.X5Chain);
            ReadCertificateChain(headers, LegacyX5ChainLabel);
        }
        if (message.UnprotectedHeaders.ContainsKey(CoseHeaderLabels.Algorithm))
            throw new CoseException(CoseErrorKind.Malformed, "alg must be in the protected header");
    }

    private static List<byte[]>? ReadCertificateChain(CborMap headers, CborValue label)
    {
        if (!headers.TryGetValue(label, out var value))
            return null;
        switch (value)
        {
            case CborByteString single:
                return [single.Value];
            case CborArray array when array.Count > 0 && array.All(item => item is CborByteString):
                return [.. array.Select(item => ((CborByteString)item).Value)];
            default:
                throw new CoseException(CoseErrorKind.Malformed, "x5chain must be a byte string or a non-empty array of byte strings");
        }
    }

    /// <summary>The tagged (or untagged, as decoded) encoding, with the current unprotected header.</summary>
    public byte[] Encode()
    {
        var writer = new CborWriter(Signature.Length + ProtectedHeaderBytes.Length + 256);
        if (IsTagged)
            writer.WriteTag(Tag);
        writer.WriteStartArray(4);
        writer.WriteByteString(ProtectedHeaderBytes);
        UnprotectedHeaders.WriteTo(writer);
        if (Payload is null)
            writer.WriteNull();
        else
            writer.WriteByteString(Payload);
        writer.WriteByteString(Signature);
        writer.WriteEndArray();
        return writer.Encode();
    }
}
