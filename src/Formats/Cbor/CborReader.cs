namespace Provenance.Formats.Cbor;

/// <summary>
/// A strict, forward-only CBOR reader (RFC 8949) over a memory buffer. Every declared length is checked
/// against the bytes left, nesting is bounded, text must be valid UTF-8, duplicate map keys and bytes after
/// the top-level item are rejected. A read that throws leaves the reader exactly where it was.
/// Only <see cref="CborException"/> escapes on bad data.
/// </summary>
public sealed partial class CborReader
{
    private readonly ReadOnlyMemory<byte> _data;
    private readonly CborReaderOptions _options;
    private readonly int _maxDepth;
    private readonly bool _embedded;
    private readonly List<Frame> _frames = [];
    private int _position;
    private int _rootItemsRead;

    public CborReader(ReadOnlyMemory<byte> data, CborReaderOptions? options = null)
    {
        _data = data;
        _options = options ?? CborReaderOptions.Default;
        _maxDepth = _options.EffectiveMaxDepth;
    }

    // A reader that reads exactly one item starting at `start` of a larger buffer (used to measure items).
    private CborReader(ReadOnlyMemory<byte> data, CborReaderOptions options, int start, int maxDepth)
    {
        _data = data;
        _options = options;
        _maxDepth = maxDepth;
        _position = start;
        _embedded = true;
    }

    /// <summary>Offset of the next byte to read.</summary>
    public int Position => _position;

    /// <summary>Bytes not read yet.</summary>
    public int BytesRemaining => _data.Length - _position;

    /// <summary>Number of arrays, maps and tags currently open.</summary>
    public int CurrentDepth => _frames.Count;

    /// <summary>Whether the top-level item (or, for a sequence, every item) has been read.</summary>
    public bool IsFinished => PeekStateOrFinished() == CborReaderState.Finished;

    private enum FrameKind : byte { Array, Map, Tag }

    private sealed class Frame(FrameKind kind, long? remaining, int startPosition)
    {
        public FrameKind Kind { get; } = kind;
        public long? Remaining { get; set; } = remaining;
        public long ItemsRead { get; set; }
        public int StartPosition { get; } = startPosition;
        public HashSet<byte[]>? Keys { get; set; }
    }

    private readonly record struct Header(CborMajorType Major, byte Info, ulong Argument, int Length)
    {
        public bool IsIndefinite => Info == 31;
        public bool IsBreak => Major == CborMajorType.SimpleOrFloat && Info == 31;
    }

    /// <summary>What the next read will find; throws when the bytes at the current position are malformed.</summary>
    public CborReaderState PeekState()
    {
        var state = PeekStateOrFinished();
        return state;
    }

    private CborReaderState PeekStateOrFinished()
    {
        if (_frames.Count == 0)
        {
            if (_rootItemsRead > 0 && (_embedded || !_options.AllowMultipleRootValues || _position == _data.Length))
                return CborReaderState.Finished;
        }
        else
        {
            var frame = _frames[^1];
            if (frame.Remaining == 0)
                return frame.Kind == FrameKind.Map ? CborReaderState.EndMap : CborReaderState.EndArray;
        }

        var header = DecodeHeader(_position);
        if (header.IsBreak)
        {
            if (_frames.Count == 0 || _frames[^1].Remaining is not null || _frames[^1].Kind == FrameKind.Tag)
                throw Malformed("break outside an indefinite-length container", _position);
            var frame = _frames[^1];
            if (frame.Kind == FrameKind.Map)
            {
                if (frame.ItemsRead % 2 != 0)
                    throw Malformed("map ends after a key without a value", _position);
                return CborReaderState.EndMap;
            }
            return CborReaderState.EndArray;
        }
        return StateOf(header);
    }

    private static CborReaderState StateOf(Header header) => header.Major switch
    {
        CborMajorType.UnsignedInteger => CborReaderState.UnsignedInteger,
        CborMajorType.NegativeInteger => CborReaderState.NegativeInteger,
        CborMajorType.ByteString => CborReaderState.ByteString,
        CborMajorType.TextString => CborReaderState.TextString,
        CborMajorType.Array => CborReaderState.StartArray,
        CborMajorType.Map => CborReaderState.StartMap,
        CborMajorType.Tag => CborReaderState.Tag,
        _ => header.Info switch
        {
            20 or 21 => CborReaderState.Boolean,
            22 => CborReaderState.Null,
            23 => CborReaderState.Undefined,
            25 => CborReaderState.HalfFloat,
            26 => CborReaderState.SingleFloat,
            27 => CborReaderState.DoubleFloat,
            _ => CborReaderState.SimpleValue,
        },
    };

    private Header DecodeHeader(int position)
    {
        var span = _data.Span;
        if (position >= span.Length)
            throw Malformed("unexpected end of data", position);
        byte initial = span[position];
        var major = (CborMajorType)(initial >> 5);
        byte info = (byte)(initial & 0x1F);
        if (info < 24)
            return new Header(major, info, info, 1);
        int argumentLength = info switch
        {
            24 => 1,
            25 => 2,
            26 => 4,
            27 => 8,
            31 => 0,
            _ => throw Malformed($"reserved additional information {info}", position),
        };
        if (info == 31)
        {
            if (major is CborMajorType.UnsignedInteger or CborMajorType.NegativeInteger or CborMajorType.Tag)
                throw Malformed($"indefinite length is not allowed for major type {major}", position);
            if (major != CborMajorType.SimpleOrFloat && !_options.AllowIndefiniteLength)
                throw Malformed("indefinite-length items are not accepted", position);
            return new Header(major, info, 0, 1);
        }
        if (span.Length - position - 1 < argumentLength)
            throw Malformed("unexpected end of data in an item header", position);
        ulong argument = 0;
        for (int i = 1; i <= argumentLength; i++)
            argument = (argument << 8) | span[position + i];
        if (major == CborMajorType.SimpleOrFloat && info == 24 && argument < 32)
            throw Malformed("simple value below 32 in two-byte form", position);
        return new Header(major, info, argument, 1 + argumentLength);
    }

    // Checks that a new data item may begin here and decodes its header.
    private Header BeginItem(CborMajorType expected, string what)
    {
        var state = PeekStateOrFinished();
        if (state == CborReaderState.Finished)
            throw new CborException(CborErrorKind.UnexpectedType, $"expected {what} but the data is finished", _position);
        if (state is CborReaderState.EndArray or CborReaderState.EndMap)
            throw new CborException(CborErrorKind.UnexpectedType, $"expected {what} but the container ends here", _position);
        var header = DecodeHeader(_position);
        if (header.Major != expected)
            throw new CborException(CborErrorKind.UnexpectedType, $"expected {what} but found {state}", _position);
        return header;
    }

    // Completes the data item that started at itemStart and ends at newPosition, after validating
    // everything that can fail (trailing bytes, duplicate keys). Nothing changes when it throws.
    private void Complete(int itemStart, int newPosition, bool popContainer)
    {
        int top = _frames.Count - 1;
        if (popContainer)
        {
            itemStart = _frames[top].StartPosition;
            top--;
        }
        int receiver = top;
        while (receiver >= 0 && _frames[receiver].Kind == FrameKind.Tag)
        {
            itemStart = _frames[receiver].StartPosition;
            receiver--;
        }

        byte[]? key = null;
        if (receiver < 0)
        {
            if (!_embedded && !_options.AllowMultipleRootValues && newPosition != _data.Length)
                throw Malformed($"{_data.Length - newPosition} trailing bytes after the top-level item", newPosition);
        }
        else
        {
            var frame = _frames[receiver];
            if (frame.Kind == FrameKind.Map && frame.ItemsRead % 2 == 0)
            {
                key = KeyIdentity(_data.Span[itemStart..newPosition]);
                if (frame.Keys is not null && frame.Keys.Contains(key))
                    throw Malformed("duplicate map key", itemStart);
            }
        }

        _position = newPosition;
        _frames.RemoveRange(receiver + 1, _frames.Count - receiver - 1);
        if (receiver < 0)
        {
            _rootItemsRead++;
            return;
        }
        var receiving = _frames[receiver];
        receiving.ItemsRead++;
        if (receiving.Remaining is long remaining)
            receiving.Remaining = remaining - 1;
        if (key is not null)
            (receiving.Keys ??= new HashSet<byte[]>(ByteArrayComparer.Instance)).Add(key);
    }

    // Keys compare by value for integers and definite strings (so 1 and 0x18 0x01 collide), else by bytes.
    private static byte[] KeyIdentity(ReadOnlySpan<byte> encoded)
    {
        byte initial = encoded[0];
        int major = initial >> 5;
        int info = initial & 0x1F;
        int headerLength = info < 24 ? 1 : info switch { 24 => 2, 25 => 3, 26 => 5, 27 => 9, _ => 0 };
        if (headerLength == 0 || major is 4 or 5 or 6 or 7)
            return [0xFF, .. encoded];
        if (major is 0 or 1 && headerLength == encoded.Length)
        {
            ulong argument = info < 24 ? (ulong)info : 0;
            for (int i = 1; i < headerLength; i++)
                argument = (argument << 8) | encoded[i];
            var identity = new byte[9];
            identity[0] = (byte)major;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(identity.AsSpan(1), argument);
            return identity;
        }
        return [(byte)major, .. encoded[headerLength..]];
    }

    private void Push(FrameKind kind, long? remaining, int start, int newPosition)
    {
        if (_frames.Count >= _maxDepth)
            throw new CborException(CborErrorKind.LimitExceeded, $"nesting deeper than {_maxDepth}", start);
        _frames.Add(new Frame(kind, remaining, start));
        _position = newPosition;
    }

    private static CborException Malformed(string message, int position) =>
        new(CborErrorKind.Malformed, message, position);

    private sealed class ByteArrayComparer : IEqualityComparer<byte[]>
    {
        public static readonly ByteArrayComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj)
        {
            var hash = new HashCode();
            hash.AddBytes(obj);
            return hash.ToHashCode();
        }
    }
}
