using System.Buffers.Binary;

namespace Provenance.Formats.Bmff;

/// <summary>
/// Reads and patches the tables that hold absolute file offsets: <c>stco</c>/<c>co64</c> chunk offsets,
/// <c>saio</c> in sample tables, <c>tfhd</c> base data offsets, <c>tfra</c> fragment offsets and the
/// <c>sidx</c> first offset, <c>iloc</c> items at file offsets. Tables are parsed strictly: declared counts must match the bytes present.
/// </summary>
public static class BmffOffsetTables
{
    /// <summary>Reads the chunk offsets of an <c>stco</c> or <c>co64</c> box given its payload (after the header).</summary>
    public static long[] ReadChunkOffsets(string type, ReadOnlySpan<byte> content)
    {
        int width = ChunkOffsetWidth(type);
        var (count, start) = ReadCountedTable(content, width, type, 0);
        var offsets = new long[count];
        for (int i = 0; i < count; i++)
        {
            offsets[i] = width == 4
                ? BinaryPrimitives.ReadUInt32BigEndian(content[(start + i * 4)..])
                : ReadInt64(content[(start + i * 8)..], type);
        }
        return offsets;
    }

    /// <summary>Reads the base data offset of a <c>tfhd</c> payload, or null when the flag is not set.</summary>
    public static long? ReadBaseDataOffset(ReadOnlySpan<byte> tfhdContent)
    {
        if (tfhdContent.Length < 8)
            throw new BmffException("'tfhd' is shorter than its fixed fields");
        uint flags = BinaryPrimitives.ReadUInt32BigEndian(tfhdContent) & 0xFFFFFF;
        if ((flags & 1) == 0)
            return null;
        if (tfhdContent.Length < 16)
            throw new BmffException("'tfhd' base data offset is cut short");
        return ReadInt64(tfhdContent[8..], "tfhd");
    }

    private static int ChunkOffsetWidth(string type) => type switch
    {
        "stco" => 4,
        "co64" => 8,
        _ => throw new ArgumentException($"'{type}' is not a chunk offset box", nameof(type)),
    };

    // version/flags (4), entry count (4), then count entries of `width` bytes filling the rest exactly.
    private static (int Count, int Start) ReadCountedTable(ReadOnlySpan<byte> content, int width, string type, int prefix)
    {
        int countAt = 4 + prefix;
        if (content.Length < countAt + 4)
            throw new BmffException($"'{type}' is shorter than its fixed fields");
        uint count = BinaryPrimitives.ReadUInt32BigEndian(content[countAt..]);
        long expected = (long)count * width;
        if (expected != content.Length - countAt - 4)
            throw new BmffException($"'{type}' declares {count} entries but holds {content.Length - countAt - 4} bytes of entries");
        return ((int)count, countAt + 4);
    }

    private static long ReadInt64(ReadOnlySpan<byte> bytes, string type)
    {
        ulong value = BinaryPrimitives.ReadUInt64BigEndian(bytes);
        if (value > long.MaxValue)
            throw new BmffException($"'{type}' holds an offset beyond 2^63");
        return (long)value;
    }

    // Patches every absolute offset inside a top-level box held in `buffer` (which starts at file offset
    // `fileOffset`). Returns how many values changed.
    internal static int Patch(byte[] buffer, long fileOffset, BmffBox box, Func<long, long> shift)
    {
        int patched = 0;
        foreach (var (node, parentType) in Walk(box))
        {
            var header = node.Header;
            int contentStart = checked((int)(header.ContentOffset - fileOffset));
            var content = buffer.AsSpan(contentStart, checked((int)header.ContentSize));
            patched += node.Type switch
            {
                "stco" or "co64" => PatchChunkOffsets(node.Type, content, shift, header.Offset),
                // saio offsets are absolute only in a sample table; in a traf they are relative to the fragment base.
                "saio" when parentType == "stbl" => PatchSaio(content, shift, header.Offset),
                "tfhd" => PatchTfhd(content, shift, header.Offset),
                "tfra" => PatchTfra(content, shift, header.Offset),
                "cmov" => throw new BmffException("compressed movie headers ('cmov') cannot be patched", header.Offset),
                "iloc" => ItemLocationPatcher.Patch(content, shift, header.Offset),
                _ => 0,
            };
        }
        return patched;
    }

    // Every box below and including root, with its parent's type ("" for the root).
    private static IEnumerable<(BmffBox Box, string ParentType)> Walk(BmffBox root)
    {
        var stack = new Stack<(BmffBox, string)>();
        stack.Push((root, ""));
        while (stack.Count > 0)
        {
            var (box, parentType) = stack.Pop();
            yield return (box, parentType);
            for (int i = box.Children.Count - 1; i >= 0; i--)
                stack.Push((box.Children[i], box.Type));
        }
    }

    private static int PatchChunkOffsets(string type, Span<byte> content, Func<long, long> shift, long boxOffset)
    {
        int width = ChunkOffsetWidth(type);
        var (count, start) = ReadCountedTable(content, width, type, 0);
        int changed = 0;
        for (int i = 0; i < count; i++)
        {
            var entry = content[(start + i * width)..];
            if (width == 4)
            {
                uint value = BinaryPrimitives.ReadUInt32BigEndian(entry);
                long shifted = shift(value);
                if (shifted > uint.MaxValue)
                    throw new BmffException($"chunk offset {value} becomes {shifted}, beyond what 'stco' can hold; the file needs 'co64'", boxOffset);
                if (shifted != value)
                    changed++;
                BinaryPrimitives.WriteUInt32BigEndian(entry, (uint)shifted);
            }
            else
            {
                long value = ReadInt64(entry, type);
                long shifted = shift(value);
                if (shifted != value)
                    changed++;
                BinaryPrimitives.WriteUInt64BigEndian(entry, (ulong)shifted);
            }
        }
        return changed;
    }

    private static int PatchSaio(Span<byte> content, Func<long, long> shift, long boxOffset)
    {
        if (content.Length < 4)
            throw new BmffException("'saio' is shorter than its fixed fields", boxOffset);
        byte version = content[0];
        uint flags = BinaryPrimitives.ReadUInt32BigEndian(content) & 0xFFFFFF;
        int width = version == 0 ? 4 : 8;
        var (count, start) = ReadCountedTable(content, width, "saio", (flags & 1) != 0 ? 8 : 0);
        int changed = 0;
        for (int i = 0; i < count; i++)
        {
            var entry = content[(start + i * width)..];
            long value = width == 4 ? BinaryPrimitives.ReadUInt32BigEndian(entry) : ReadInt64(entry, "saio");
            long shifted = shift(value);
            if (width == 4 && shifted > uint.MaxValue)
                throw new BmffException($"'saio' offset {value} no longer fits 32 bits", boxOffset);
            if (width == 4)
                BinaryPrimitives.WriteUInt32BigEndian(entry, (uint)shifted);
            else
                BinaryPrimitives.WriteUInt64BigEndian(entry, (ulong)shifted);
            if (shifted != value)
                changed++;
        }
        return changed;
    }

    private static int PatchTfhd(Span<byte> content, Func<long, long> shift, long boxOffset)
    {
        long? value;
        try
        {
            value = ReadBaseDataOffset(content);
        }
        catch (BmffException e)
        {
            throw new BmffException(e.Message, boxOffset);
        }
        if (value is not long offset)
            return 0;
        long shifted = shift(offset);
        BinaryPrimitives.WriteUInt64BigEndian(content[8..], (ulong)shifted);
        return shifted != offset ? 1 : 0;
    }

    private static int PatchTfra(Span<byte> content, Func<long, long> shift, long boxOffset)
    {
        if (content.Length < 16)
            throw new BmffException("'tfra' is shorter than its fixed fields", boxOffset);
        byte version = content[0];
        uint sizes = BinaryPrimitives.ReadUInt32BigEndian(content[8..]);
        int trafBytes = (int)((sizes >> 4) & 3) + 1;
        int trunBytes = (int)((sizes >> 2) & 3) + 1;
        int sampleBytes = (int)(sizes & 3) + 1;
        int timeAndOffset = version == 1 ? 16 : 8;
        int entryBytes = timeAndOffset + trafBytes + trunBytes + sampleBytes;
        uint count = BinaryPrimitives.ReadUInt32BigEndian(content[12..]);
        if ((long)count * entryBytes != content.Length - 16)
            throw new BmffException($"'tfra' declares {count} entries but holds {content.Length - 16} bytes of entries", boxOffset);
        int changed = 0;
        for (int i = 0; i < count; i++)
        {
            var entry = content[(16 + i * entryBytes)..];
            if (version == 1)
            {
                long value = ReadInt64(entry[8..], "tfra");
                long shifted = shift(value);
                BinaryPrimitives.WriteUInt64BigEndian(entry[8..], (ulong)shifted);
                changed += shifted != value ? 1 : 0;
            }
            else
            {
                uint value = BinaryPrimitives.ReadUInt32BigEndian(entry[4..]);
                long shifted = shift(value);
                if (shifted > uint.MaxValue)
                    throw new BmffException($"'tfra' offset {value} no longer fits 32 bits", boxOffset);
                BinaryPrimitives.WriteUInt32BigEndian(entry[4..], (uint)shifted);
                changed += shifted != value ? 1 : 0;
            }
        }
        return changed;
    }

    // sidx offsets are relative to the end of the sidx box: patch first_offset when an edit lands between the
    // sidx and the media it indexes; refuse edits inside the indexed range.
    internal static int PatchSidx(byte[] buffer, BmffBoxHeader sidx, long fileLength, Func<long, long> shift)
    {
        var content = buffer.AsSpan(sidx.HeaderLength);
        if (content.Length < 4)
            throw new BmffException("'sidx' is shorter than its fixed fields", sidx.Offset);
        byte version = content[0];
        int firstOffsetAt = version == 0 ? 16 : 20;
        int width = version == 0 ? 4 : 8;
        int countAt = firstOffsetAt + width + 2;
        if (content.Length < countAt + 2)
            throw new BmffException("'sidx' is shorter than its fixed fields", sidx.Offset);
        long firstOffset = width == 4 ? BinaryPrimitives.ReadUInt32BigEndian(content[firstOffsetAt..]) : ReadInt64(content[firstOffsetAt..], "sidx");
        int count = BinaryPrimitives.ReadUInt16BigEndian(content[countAt..]);
        if ((long)count * 12 != content.Length - countAt - 2)
            throw new BmffException($"'sidx' declares {count} references but holds {content.Length - countAt - 2} bytes of references", sidx.Offset);
        long referenced = 0;
        for (int i = 0; i < count; i++)
            referenced += BinaryPrimitives.ReadUInt32BigEndian(content[(countAt + 2 + i * 12)..]) & 0x7FFFFFFF;

        // Positions are of bytes: the sidx's own end moves with the sidx, the media with its first and last byte.
        long anchor = sidx.End;
        if (firstOffset > fileLength - anchor || referenced > fileLength - anchor - firstOffset)
            throw new BmffException("'sidx' indexes media beyond the end of the file", sidx.Offset);
        long start = anchor + firstOffset;
        long last = start + referenced - 1;
        long newAnchor = shift(sidx.Offset) + sidx.Size;
        long newFirst = shift(start) - newAnchor;
        if (referenced > 0 && shift(last) - shift(start) != referenced - 1)
            throw new BmffException("an edit falls inside media indexed by 'sidx'", sidx.Offset);
        if (newFirst == firstOffset)
            return 0;
        if (width == 4)
        {
            if (newFirst > uint.MaxValue)
                throw new BmffException("'sidx' first offset no longer fits 32 bits", sidx.Offset);
            BinaryPrimitives.WriteUInt32BigEndian(content[firstOffsetAt..], (uint)newFirst);
        }
        else
        {
            BinaryPrimitives.WriteUInt64BigEndian(content[firstOffsetAt..], (ulong)newFirst);
        }
        return 1;
    }
}
