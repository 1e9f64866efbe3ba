using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;

namespace Provenance.Formats.Cbor;

public sealed partial class CborReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads an unsigned integer (major type 0).</summary>
    public ulong ReadUInt64()
    {
        int start = _position;
        var header = BeginItem(CborMajorType.UnsignedInteger, "an unsigned integer");
        Complete(start, start + header.Length, popContainer: false);
        return header.Argument;
    }

    /// <summary>Reads an integer (major type 0 or 1) that fits a signed 64-bit value.</summary>
    public long ReadInt64()
    {
        int start = _position;
        var state = PeekStateOrFinished();
        var major = state == CborReaderState.NegativeInteger ? CborMajorType.NegativeInteger : CborMajorType.UnsignedInteger;
        var header = BeginItem(major, "an integer");
        if (header.Argument > long.MaxValue)
            throw new CborException(CborErrorKind.LimitExceeded, "integer does not fit a 64-bit signed value", start);
        long value = major == CborMajorType.NegativeInteger ? -1 - (long)header.Argument : (long)header.Argument;
        Complete(start, start + header.Length, popContainer: false);
        return value;
    }

    /// <summary>Reads an integer (major type 0 or 1) that fits a signed 32-bit value.</summary>
    public int ReadInt32()
    {
        int start = _position;
        var state = PeekStateOrFinished();
        var major = state == CborReaderState.NegativeInteger ? CborMajorType.NegativeInteger : CborMajorType.UnsignedInteger;
        var header = BeginItem(major, "an integer");
        if (header.Argument > int.MaxValue)
            throw new CborException(CborErrorKind.LimitExceeded, "integer does not fit a 32-bit signed value", start);
        int value = major == CborMajorType.NegativeInteger ? -1 - (int)header.Argument : (int)header.Argument;
        Complete(start, start + header.Length, popContainer: false);
        return value;
    }

    /// <summary>Reads a negative integer (major type 1) as its raw argument n, the value being -1 - n.</summary>
    public ulong ReadNegativeIntegerArgument()
    {
        int start = _position;
        var header = BeginItem(CborMajorType.NegativeInteger, "a negative integer");
        Complete(start, start + header.Length, popContainer: false);
        return header.Argument;
    }

    /// <summary>Reads a byte string (definite or indefinite length).</summary>
    public byte[] ReadByteString()
    {
        int start = _position;
        var header = BeginItem(CborMajorType.ByteString, "a byte string");
        var (content, end) = ReadStringContent(header, start, materialize: true);
        Complete(start, end, popContainer: false);
        return content!;
    }

    /// <summary>Reads a text string (definite or indefinite length); it must be valid UTF-8.</summary>
    public string ReadTextString()
    {
        int start = _position;
        var header = BeginItem(CborMajorType.TextString, "a text string");
        var (content, end) = ReadStringContent(header, start, materialize: true);
        string text;
        try
        {
            text = StrictUtf8.GetString(content!);
        }
        catch (DecoderFallbackException)
        {
            throw Malformed("text string is not valid UTF-8", start);
        }
        Complete(start, end, popContainer: false);
        return text;
    }

    // Returns the string's content (when materialize) and the position after it; validates chunks.
    private (byte[]? Content, int End) ReadStringContent(Header header, int start, bool materialize)
    {
        var span = _data.Span;
        int position = start + header.Length;
        if (!header.IsIndefinite)
        {
            if (header.Argument > (ulong)(span.Length - position))
                throw Malformed($"string length {header.Argument} exceeds the {span.Length - position} bytes left", start);
            int length = (int)header.Argument;
            var chunk = span.Slice(position, length);
            if (header.Major == CborMajorType.TextString && !Utf8.IsValid(chunk))
                throw Malformed("text string is not valid UTF-8", start);
            return (materialize ? chunk.ToArray() : null, position + length);
        }

        var chunks = new List<(int Offset, int Length)>();
        long total = 0;
        while (true)
        {
            var chunkHeader = DecodeHeader(position);
            if (chunkHeader.IsBreak)
            {
                position++;
                break;
            }
            if (chunkHeader.Major != header.Major || chunkHeader.IsIndefinite)
                throw Malformed("indefinite-length string chunk of the wrong type", position);
            int contentStart = position + chunkHeader.Length;
            if (chunkHeader.Argument > (ulong)(span.Length - contentStart))
                throw Malformed($"string chunk length {chunkHeader.Argument} exceeds the bytes left", position);
            int length = (int)chunkHeader.Argument;
            if (header.Major == CborMajorType.TextString && !Utf8.IsValid(span.Slice(contentStart, length)))
                throw Malformed("text string chunk is not valid UTF-8", position);
            chunks.Add((contentStart, length));
            total += length;
            position = contentStart + length;
        }
        if (!materialize)
            return (null, position);
        var content = new byte[total];
        int offset = 0;
        foreach (var (chunkOffset, length) in chunks)
        {
            span.Slice(chunkOffset, length).CopyTo(content.AsSpan(offset));
            offset += length;
        }
        return (content, position);
    }

    /// <summary>Reads a simple value (major type 7, not a float), including false (20), true (21), null (22), undefined (23).</summary>
    public byte ReadSimpleValue()
    {
        int start = _position;
        var header = BeginItem(CborMajorType.SimpleOrFloat, "a simple value");
        if (header.Info is 25 or 26 or 27)
            throw new CborException(CborErrorKind.UnexpectedType, "expected a simple value but found a float", start);
        Complete(start, start + header.Length, popContainer: false);
        return (byte)header.Argument;
    }

    /// <summary>Reads true or false.</summary>
    public bool ReadBoolean()
    {
        var state = PeekStateOrFinished();
        if (state != CborReaderState.Boolean)
            throw new CborException(CborErrorKind.UnexpectedType, $"expected a boolean but found {state}", _position);
        return ReadSimpleValue() == 21;
    }

    /// <summary>Reads null.</summary>
    public void ReadNull()
    {
        var state = PeekStateOrFinished();
        if (state != CborReaderState.Null)
            throw new CborException(CborErrorKind.UnexpectedType, $"expected null but found {state}", _position);
        ReadSimpleValue();
    }

    /// <summary>Reads undefined.</summary>
    public void ReadUndefined()
    {
        var state = PeekStateOrFinished();
        if (state != CborReaderState.Undefined)
            throw new CborException(CborErrorKind.UnexpectedType, $"expected undefined but found {state}", _position);
        ReadSimpleValue();
    }

    /// <summary>Reads a half, single or double precision float as a double.</summary>
    public double ReadDouble()
    {
        int start = _position;
        var header = BeginItem(CborMajorType.SimpleOrFloat, "a float");
        double value = header.Info switch
        {
            25 => (double)BitConverter.UInt16BitsToHalf((ushort)header.Argument),
            26 => BitConverter.UInt32BitsToSingle((uint)header.Argument),
            27 => BitConverter.UInt64BitsToDouble(header.Argument),
            _ => throw new CborException(CborErrorKind.UnexpectedType, "expected a float but found a simple value", start),
        };
        Complete(start, start + header.Length, popContainer: false);
        return value;
    }

    internal static ulong ReadBigEndian(ReadOnlySpan<byte> bytes) => bytes.Length switch
    {
        1 => bytes[0],
        2 => BinaryPrimitives.ReadUInt16BigEndian(bytes),
        4 => BinaryPrimitives.ReadUInt32BigEndian(bytes),
        _ => BinaryPrimitives.ReadUInt64BigEndian(bytes),
    };
}
