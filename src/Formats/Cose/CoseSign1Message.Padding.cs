using Provenance.Formats.Cbor;

namespace Provenance.Formats.Cose;

public sealed partial class CoseSign1Message
{
    /// <summary>
    /// Encodes the message at exactly <paramref name="totalLength"/> bytes by setting the unprotected
    /// <c>pad</c> entry (and <c>pad2</c> when one entry cannot hit the size) to zero bytes. C2PA reserves the
    /// signature's space before signing; this fills it. Existing pad entries are replaced.
    /// </summary>
    public byte[] EncodePadded(int totalLength)
    {
        UnprotectedHeaders.Remove(CoseHeaderLabels.Pad);
        UnprotectedHeaders.Remove(CoseHeaderLabels.Pad2);
        int baseLength = Encode().Length;
        if (baseLength == totalLength)
            return Encode();
        int count = UnprotectedHeaders.Count;

        // One entry: "pad" (4 bytes) + bstr header + n zeros; the map header may grow by one entry.
        if (TrySolve(totalLength - baseLength - MapHeaderGrowth(count, 1) - 4, out int padLength))
            return EncodeWithPads(padLength, null, totalLength);

        // Two entries: "pad2" (5 bytes) takes a small share so that "pad" can hit the remainder.
        for (int second = 0; second < 64; second++)
        {
            int rest = totalLength - baseLength - MapHeaderGrowth(count, 2) - 4 - 5 - (ByteStringHeaderLength(second) + second);
            if (TrySolve(rest, out padLength))
                return EncodeWithPads(padLength, second, totalLength);
        }
        throw new CoseException(CoseErrorKind.SizeUnreachable, $"cannot pad a {baseLength}-byte COSE_Sign1 to {totalLength} bytes");
    }

    // Finds n with header(n) + n == available.
    private static bool TrySolve(int available, out int length)
    {
        foreach (int header in new[] { 1, 2, 3, 5 })
        {
            length = available - header;
            if (length >= 0 && ByteStringHeaderLength(length) == header)
                return true;
        }
        length = 0;
        return false;
    }

    private byte[] EncodeWithPads(int padLength, int? secondLength, int totalLength)
    {
        UnprotectedHeaders[CoseHeaderLabels.Pad] = new byte[padLength];
        if (secondLength is int second)
            UnprotectedHeaders[CoseHeaderLabels.Pad2] = new byte[second];
        var encoded = Encode();
        if (encoded.Length != totalLength)
            throw new CoseException(CoseErrorKind.SizeUnreachable, $"padding produced {encoded.Length} bytes instead of {totalLength}");
        return encoded;
    }

    private static int MapHeaderGrowth(int count, int added) => ByteStringHeaderLength(count + added) - ByteStringHeaderLength(count);

    // Header length of any CBOR item whose argument is `value` (same for strings, arrays and maps).
    private static int ByteStringHeaderLength(int value) => value switch
    {
        < 24 => 1,
        <= byte.MaxValue => 2,
        <= ushort.MaxValue => 3,
        _ => 5,
    };
}
