namespace Provenance.Formats.Cbor;

public sealed partial class CborReader
{
    /// <summary>Opens an array; returns its declared item count, or null for an indefinite-length array.</summary>
    public int? ReadStartArray()
    {
        int start = _position;
        var header = BeginItem(CborMajorType.Array, "an array");
        int contentStart = start + header.Length;
        long? count = null;
        if (!header.IsIndefinite)
        {
            // Every item takes at least one byte.
            if (header.Argument > (ulong)(_data.Length - contentStart))
                throw Malformed($"array of {header.Argument} items cannot fit in the {_data.Length - contentStart} bytes left", start);
            count = (long)header.Argument;
        }
        Push(FrameKind.Array, count, start, contentStart);
        return count is long c ? (int)c : null;
    }

    /// <summary>Closes the current array.</summary>
    public void ReadEndArray() => ReadEnd(FrameKind.Array, "the end of an array");

    /// <summary>Opens a map; returns its declared pair count, or null for an indefinite-length map.</summary>
    public int? ReadStartMap()
    {
        int start = _position;
        var header = BeginItem(CborMajorType.Map, "a map");
        int contentStart = start + header.Length;
        long? items = null;
        if (!header.IsIndefinite)
        {
            // Every key and every value takes at least one byte.
            if (header.Argument > (ulong)(_data.Length - contentStart) / 2)
                throw Malformed($"map of {header.Argument} pairs cannot fit in the {_data.Length - contentStart} bytes left", start);
            items = (long)header.Argument * 2;
        }
        Push(FrameKind.Map, items, start, contentStart);
        return items is long n ? (int)(n / 2) : null;
    }

    /// <summary>Closes the current map.</summary>
    public void ReadEndMap() => ReadEnd(FrameKind.Map, "the end of a map");

    private void ReadEnd(FrameKind kind, string what)
    {
        var state = PeekStateOrFinished();
        var expected = kind == FrameKind.Map ? CborReaderState.EndMap : CborReaderState.EndArray;
        if (state != expected)
            throw new CborException(CborErrorKind.UnexpectedType, $"expected {what} but found {state}", _position);
        int end = _frames[^1].Remaining is null ? _position + 1 : _position;
        Complete(_position, end, popContainer: true);
    }

    /// <summary>Reads a tag number; the tagged data item follows.</summary>
    public ulong ReadTag()
    {
        int start = _position;
        var header = BeginItem(CborMajorType.Tag, "a tag");
        Push(FrameKind.Tag, 1, start, start + header.Length);
        return header.Argument;
    }

    /// <summary>Returns the tag number of the next item without consuming it.</summary>
    public ulong PeekTag()
    {
        var header = BeginItem(CborMajorType.Tag, "a tag");
        return header.Argument;
    }

    /// <summary>Skips the next data item, nested content included, after checking it is well-formed.</summary>
    public void SkipValue() => ReadEncodedValue();

    /// <summary>Reads the next data item, nested content included, and returns its encoded bytes.</summary>
    public ReadOnlyMemory<byte> ReadEncodedValue()
    {
        int start = _position;
        var state = PeekStateOrFinished();
        if (state is CborReaderState.Finished or CborReaderState.EndArray or CborReaderState.EndMap)
            throw new CborException(CborErrorKind.UnexpectedType, $"expected a data item but found {state}", start);
        var measure = new CborReader(_data, _options, start, _maxDepth - _frames.Count);
        measure.SkipOne();
        int end = measure._position;
        Complete(start, end, popContainer: false);
        return _data[start..end];
    }

    // Reads one complete item iteratively (no recursion, whatever the nesting).
    private void SkipOne()
    {
        do
        {
            switch (PeekStateOrFinished())
            {
                case CborReaderState.StartArray: ReadStartArray(); break;
                case CborReaderState.StartMap: ReadStartMap(); break;
                case CborReaderState.EndArray: ReadEndArray(); break;
                case CborReaderState.EndMap: ReadEndMap(); break;
                case CborReaderState.Tag: ReadTag(); break;
                case CborReaderState.UnsignedInteger: ReadUInt64(); break;
                case CborReaderState.NegativeInteger: ReadNegativeIntegerArgument(); break;
                case CborReaderState.ByteString: SkipString(CborMajorType.ByteString); break;
                case CborReaderState.TextString: SkipString(CborMajorType.TextString); break;
                case CborReaderState.HalfFloat:
                case CborReaderState.SingleFloat:
                case CborReaderState.DoubleFloat: ReadDouble(); break;
                case CborReaderState.Finished:
                    throw Malformed("unexpected end of data", _position);
                default: ReadSimpleValue(); break;
            }
        }
        while (_frames.Count > 0);
    }

    private void SkipString(CborMajorType major)
    {
        int start = _position;
        var header = BeginItem(major, "a string");
        var (_, end) = ReadStringContent(header, start, materialize: false);
        Complete(start, end, popContainer: false);
    }
}
