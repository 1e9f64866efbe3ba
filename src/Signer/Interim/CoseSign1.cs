using Provenance.Formats.Cbor;

namespace Provenance.Signer.Interim;

// Minimal COSE_Sign1 (RFC 9052) with a detached payload, over the shared CBOR library. Kept separate
// so it can be replaced by the shared format library's COSE support without touching the C2PA logic.

/// <summary>A COSE_Sign1 structure that cannot be read.</summary>
public sealed class CoseFormatException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A decoded COSE_Sign1: the protected header bytes and map, the unprotected map and the signature.</summary>
public sealed class CoseSign1
{
    public const int Tag = 18;
    public const int AlgorithmLabel = 1;
    public const int X5ChainLabel = 33;

    public required byte[] ProtectedBytes { get; init; }
    public required CborMap Protected { get; init; }
    public required CborMap Unprotected { get; init; }
    public required byte[] Signature { get; init; }

    /// <summary>The encoded protected header: <c>{1: alg, 33: x5chain}</c> (one bstr for one certificate, else an array).</summary>
    public static byte[] EncodeProtectedHeader(int algorithm, IReadOnlyList<byte[]> chain)
    {
        var map = new CborMap { { AlgorithmLabel, algorithm } };
        map.Add(X5ChainLabel, chain.Count == 1 ? new CborByteString(chain[0]) : new CborArray(chain.Select(c => (CborValue)new CborByteString(c))));
        return map.Encode();
    }

    /// <summary>The to-be-signed bytes: <c>["Signature1", protected, h'', payload]</c>.</summary>
    public static byte[] SigStructure(byte[] protectedBytes, ReadOnlySpan<byte> payload) =>
        new CborArray([ "Signature1", new CborByteString(protectedBytes), new CborByteString([]), new CborByteString(payload.ToArray()) ]).Encode();

    /// <summary>
    /// The bytes a <c>sigTst2</c> time-stamp covers: <c>["CounterSignature", protected, h'', bstr(signature)]</c>
    /// where the payload is the CBOR encoding of the signature as a byte string.
    /// </summary>
    public static byte[] CounterSignatureStructure(byte[] protectedBytes, byte[] signature) =>
        new CborArray([ "CounterSignature", new CborByteString(protectedBytes), new CborByteString([]),
            new CborByteString(new CborByteString(signature).Encode()) ]).Encode();

    /// <summary>Encodes tag 18 <c>[protected, unprotected, nil, signature]</c>.</summary>
    public static byte[] Encode(byte[] protectedBytes, CborMap unprotected, byte[] signature)
    {
        var writer = new CborWriter();
        writer.WriteTag(Tag);
        new CborArray([ new CborByteString(protectedBytes), unprotected, CborValue.Null, new CborByteString(signature) ]).WriteTo(writer);
        return writer.Encode();
    }

    public static CoseSign1 Decode(ReadOnlyMemory<byte> encoded)
    {
        try
        {
            var value = CborValue.Decode(encoded);
            if (value is CborTag tag)
            {
                if (tag.Tag != Tag) throw new CoseFormatException($"COSE tag {tag.Tag} is not COSE_Sign1");
                value = tag.Content;
            }
            var array = value.AsArray();
            if (array.Count != 4) throw new CoseFormatException("COSE_Sign1 must have four elements");
            var protectedBytes = array[0].AsBytes();
            var protectedMap = protectedBytes.Length == 0 ? new CborMap() : CborValue.Decode(protectedBytes).AsMap();
            var unprotected = array[1].AsMap();
            if (!array[2].IsNull) throw new CoseFormatException("the claim signature must have a detached payload");
            return new CoseSign1 { ProtectedBytes = protectedBytes, Protected = protectedMap, Unprotected = unprotected, Signature = array[3].AsBytes() };
        }
        catch (CborException e)
        {
            throw new CoseFormatException($"COSE_Sign1 is not valid CBOR: {e.Message}", e);
        }
    }

    /// <summary>The algorithm identifier from the protected header, or null.</summary>
    public long? Algorithm => Protected.TryGetValue(AlgorithmLabel, out var alg) && alg is CborInteger ? alg.AsInt64() : null;

    /// <summary>The x5chain certificates (protected header first, then unprotected), end entity first.</summary>
    public IReadOnlyList<byte[]> CertificateChain
    {
        get
        {
            var value = Protected.GetValueOrDefault(X5ChainLabel) ?? Unprotected.GetValueOrDefault(X5ChainLabel);
            return value switch
            {
                null => [],
                CborByteString one => [one.Value],
                CborArray many => many.Select(v => v.AsBytes()).ToList(),
                _ => throw new CoseFormatException("x5chain must be a byte string or an array of byte strings"),
            };
        }
    }
}
