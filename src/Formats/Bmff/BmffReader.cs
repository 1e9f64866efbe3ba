using System.Buffers.Binary;

namespace Provenance.Formats.Bmff;

/// <summary>Limits of the BMFF walks.</summary>
public sealed record BmffReaderOptions
{
    public static BmffReaderOptions Default { get; } = new();

    /// <summary>Deepest box nesting accepted (top-level boxes are depth 1).</summary>
    public int MaxDepth { get; init; } = 32;

    /// <summary>Most boxes accepted in one walk.</summary>
    public int MaxBoxes { get; init; } = 1_000_000;
}

/// <summary>
/// Strict ISO BMFF box walks over a seekable stream or memory: headers only (payloads are seeked past), every
/// child inside its parent, checked offset arithmetic, bounded depth and box count, no scanning to recover.
/// </summary>
public static class BmffReader
{
    // Boxes whose payload is a sequence of boxes.
    private static readonly HashSet<string> Containers =
    [
        "moov", "trak", "edts", "mdia", "minf", "dinf", "stbl", "mvex", "moof", "traf", "mfra", "udta",
        "tref", "sinf", "schi", "iprp", "ipco", "strk", "strd", "gmhd", "tapt", "meco", "grpl", "meta",
    ];

    /// <summary>Whether the walks descend into boxes of this type.</summary>
    public static bool IsContainer(string type) => Containers.Contains(type);

    /// <summary>Reads the top-level box headers of a seekable stream without loading payloads.</summary>
    public static IReadOnlyList<BmffBoxHeader> ReadTopLevel(Stream stream, BmffReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek || !stream.CanRead)
            throw new ArgumentException("BMFF reading needs a readable, seekable stream", nameof(stream));
        return ReadSequence(BoxSource.From(stream), 0, stream.Length, topLevel: true, options ?? BmffReaderOptions.Default, new Counter());
    }

    /// <summary>Reads a box and, for containers, its descendants (headers only).</summary>
    public static BmffBox ReadTree(Stream stream, BmffBoxHeader box, BmffReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return ReadTree(BoxSource.From(stream), box, 1, options ?? BmffReaderOptions.Default, new Counter());
    }

    /// <summary>Reads the box tree of a box held in memory, <paramref name="boxBytes"/> starting at file offset <paramref name="fileOffset"/>.</summary>
    public static BmffBox ReadTree(ReadOnlyMemory<byte> boxBytes, long fileOffset, BmffReaderOptions? options = null)
    {
        var source = BoxSource.From(boxBytes, fileOffset);
        var header = ReadHeader(source, fileOffset, fileOffset + boxBytes.Length, allowToEnd: false);
        if (header.Size != boxBytes.Length)
            throw new BmffException($"box '{header.Type}' is {header.Size} bytes but {boxBytes.Length} were given", fileOffset);
        return ReadTree(source, header, 1, options ?? BmffReaderOptions.Default, new Counter());
    }

    internal sealed class Counter
    {
        public int Boxes { get; set; }
    }

    internal static BmffBox ReadTree(BoxSource source, BmffBoxHeader header, int depth, BmffReaderOptions options, Counter counter)
    {
        if (depth > options.MaxDepth)
            throw new BmffException($"boxes nest deeper than {options.MaxDepth}", header.Offset);
        if (!Containers.Contains(header.Type))
            return new BmffBox(header, [], header.ContentOffset);
        long childrenOffset = header.ContentOffset;
        if (header.Type == "meta" && IsFullBoxMeta(source, header))
            childrenOffset += 4;
        var headers = ReadSequence(source, childrenOffset, header.End, topLevel: false, options, counter);
        var children = new List<BmffBox>(headers.Count);
        foreach (var child in headers)
            children.Add(ReadTree(source, child, depth + 1, options, counter));
        return new BmffBox(header, children, childrenOffset);
    }

    // ISO meta is a full box (4 bytes version/flags before its children); QuickTime's meta is not.
    // Decided by where the mandatory 'hdlr' header sits, never by searching.
    private static bool IsFullBoxMeta(BoxSource source, BmffBoxHeader header)
    {
        if (header.ContentSize < 12)
            return header.ContentSize >= 4;
        Span<byte> probe = stackalloc byte[12];
        source.ReadExactly(header.ContentOffset, probe);
        if (FourCC.FromBytes(probe[4..8]) == "hdlr")
            return false;
        return true;
    }

    private static List<BmffBoxHeader> ReadSequence(BoxSource source, long start, long end, bool topLevel, BmffReaderOptions options, Counter counter)
    {
        var boxes = new List<BmffBoxHeader>();
        long position = start;
        while (position < end)
        {
            // QuickTime user data may end with a 32-bit zero terminator instead of a box.
            if (!topLevel && end - position == 4 && IsZeroTerminator(source, position))
                break;
            var header = ReadHeader(source, position, end, allowToEnd: topLevel);
            if (++counter.Boxes > options.MaxBoxes)
                throw new BmffException($"more than {options.MaxBoxes} boxes", position);
            boxes.Add(header);
            position = header.End;
        }
        return boxes;
    }

    private static bool IsZeroTerminator(BoxSource source, long position)
    {
        Span<byte> bytes = stackalloc byte[4];
        source.ReadExactly(position, bytes);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes) == 0;
    }

    /// <summary>Reads one box header at <paramref name="offset"/>; the box must end by <paramref name="limit"/>.</summary>
    internal static BmffBoxHeader ReadHeader(BoxSource source, long offset, long limit, bool allowToEnd)
    {
        long available = limit - offset;
        if (available < 8)
            throw new BmffException($"box header needs 8 bytes, {available} left", offset);
        Span<byte> buffer = stackalloc byte[16];
        source.ReadExactly(offset, buffer[..8]);
        uint size32 = BinaryPrimitives.ReadUInt32BigEndian(buffer);
        string type = FourCC.FromBytes(buffer[4..8]);
        long size;
        int headerLength = 8;
        bool toEnd = false;
        if (size32 == 1)
        {
            if (available < 16)
                throw new BmffException($"box '{type}' largesize is cut short", offset);
            source.ReadExactly(offset + 8, buffer[8..16]);
            ulong large = BinaryPrimitives.ReadUInt64BigEndian(buffer[8..]);
            if (large > (ulong)available)
                throw new BmffException($"box '{type}' of {large} bytes overruns its container ({available} bytes left)", offset);
            size = (long)large;
            headerLength = 16;
        }
        else if (size32 == 0)
        {
            if (!allowToEnd)
                throw new BmffException($"box '{type}' has size 0 (to end of file) inside a container", offset);
            size = available;
            toEnd = true;
        }
        else
        {
            size = size32;
            if (size > available)
                throw new BmffException($"box '{type}' of {size} bytes overruns its container ({available} bytes left)", offset);
        }

        Guid? userType = null;
        if (type == "uuid")
        {
            if (size < headerLength + 16 || available < headerLength + 16)
                throw new BmffException("'uuid' box too small for its extended type", offset);
            Span<byte> extended = stackalloc byte[16];
            source.ReadExactly(offset + headerLength, extended);
            userType = new Guid(extended, bigEndian: true);
            headerLength += 16;
        }
        if (size < headerLength)
            throw new BmffException($"box '{type}' size {size} is smaller than its {headerLength}-byte header", offset);
        return new BmffBoxHeader(type, offset, size, headerLength, userType, toEnd);
    }
}
