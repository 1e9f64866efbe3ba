using System.Buffers.Binary;
using System.Text;

namespace Provenance.Signer.Interim;

// Minimal ISO BMFF support the C2PA embedder and verifier need: a bounded top-level box walk over a
// stream and chunk-offset patching inside moov/moof. Kept separate so it can be replaced by the shared
// format library's BMFF support without touching the C2PA logic.

/// <summary>An ISO BMFF structure that cannot be read safely.</summary>
public sealed class BmffFormatException(string message) : Exception(message);

/// <summary>A top-level box: absolute offset, total size, header length and type (and extended type for <c>uuid</c>).</summary>
public sealed record BmffBox(long Offset, long Size, int HeaderLength, string Type, byte[]? UserType)
{
    public long End => Offset + Size;
}

public static class BmffBoxes
{
    public const int MaxTopLevelBoxes = 100_000;
    public const int MaxDepth = 32;

    /// <summary>Reads the top-level box headers of <paramref name="stream"/> (seekable) without reading payloads.</summary>
    public static async Task<List<BmffBox>> ReadTopLevelAsync(Stream stream, CancellationToken cancellationToken)
    {
        var boxes = new List<BmffBox>();
        await ReadTopLevelAsync(stream, boxes, cancellationToken).ConfigureAwait(false);
        return boxes;
    }

    /// <summary>As <see cref="ReadTopLevelAsync(Stream, CancellationToken)"/>, keeping the boxes read before a failure in <paramref name="boxes"/>.</summary>
    public static async Task ReadTopLevelAsync(Stream stream, List<BmffBox> boxes, CancellationToken cancellationToken)
    {
        long length = stream.Length;
        long at = 0;
        var header = new byte[32];
        while (at < length)
        {
            if (boxes.Count >= MaxTopLevelBoxes) throw new BmffFormatException("too many top-level boxes");
            if (length - at < 8) throw new BmffFormatException($"trailing {length - at} bytes after the last box");
            stream.Position = at;
            int want = (int)Math.Min(header.Length, length - at);
            await stream.ReadExactlyAsync(header.AsMemory(0, want), cancellationToken).ConfigureAwait(false);
            long size = BinaryPrimitives.ReadUInt32BigEndian(header);
            int headerLength = 8;
            if (size == 1)
            {
                if (want < 16) throw new BmffFormatException("truncated large-size box header");
                ulong large = BinaryPrimitives.ReadUInt64BigEndian(header.AsSpan(8));
                if (large > long.MaxValue) throw new BmffFormatException("box size out of range");
                size = (long)large;
                headerLength = 16;
            }
            else if (size == 0) size = length - at;
            var type = Encoding.Latin1.GetString(header, 4, 4);
            byte[]? userType = null;
            if (type == "uuid")
            {
                if (want < headerLength + 16) throw new BmffFormatException("truncated uuid box header");
                userType = header.AsSpan(headerLength, 16).ToArray();
                headerLength += 16;
            }
            if (size < headerLength || size > length - at) throw new BmffFormatException($"box '{type}' at {at} has size {size} beyond the file");
            boxes.Add(new BmffBox(at, size, headerLength, type, userType));
            at += size;
        }
    }

    /// <summary>
    /// Adds <paramref name="shift"/>(offset) to every absolute file offset inside a <c>moov</c> or <c>moof</c>
    /// box held in <paramref name="box"/>: <c>stco</c>/<c>co64</c> chunk offsets and <c>tfhd</c> base data offsets.
    /// </summary>
    public static void PatchOffsets(Span<byte> box, Func<long, long> shift)
    {
        var (type, header, size) = Header(box, 0, box.Length);
        if (size != box.Length) throw new BmffFormatException($"'{type}' size mismatch");
        PatchChildren(box, header, box.Length, shift, 1);
    }

    private static readonly HashSet<string> Containers = ["moov", "trak", "mdia", "minf", "stbl", "moof", "traf", "mfra"];

    private static void PatchChildren(Span<byte> data, int at, int end, Func<long, long> shift, int depth)
    {
        if (depth > MaxDepth) throw new BmffFormatException("box nesting too deep");
        while (at < end)
        {
            var (type, header, size) = Header(data, at, end);
            var payload = data.Slice(at + header, size - header);
            switch (type)
            {
                case "stco": PatchChunkOffsets(payload, 4, shift); break;
                case "co64": PatchChunkOffsets(payload, 8, shift); break;
                case "tfhd": PatchTrackFragmentHeader(payload, shift); break;
                case "tfra": PatchTrackFragmentRandomAccess(payload, shift); break;
                default:
                    if (Containers.Contains(type)) PatchChildren(data, at + header, at + size, shift, depth + 1);
                    break;
            }
            at += size;
        }
    }

    private static void PatchChunkOffsets(Span<byte> payload, int width, Func<long, long> shift)
    {
        if (payload.Length < 8) throw new BmffFormatException("chunk offset box too short");
        uint count = BinaryPrimitives.ReadUInt32BigEndian(payload[4..]);
        if ((ulong)count * (ulong)width > (ulong)(payload.Length - 8)) throw new BmffFormatException("chunk offset count exceeds the box");
        var entries = payload[8..];
        for (int i = 0; i < count; i++)
        {
            var slot = entries.Slice(i * width, width);
            if (width == 4)
            {
                long moved = shift(BinaryPrimitives.ReadUInt32BigEndian(slot));
                if (moved > uint.MaxValue) throw new BmffFormatException("a 32-bit chunk offset would overflow after inserting the manifest");
                BinaryPrimitives.WriteUInt32BigEndian(slot, (uint)moved);
            }
            else
            {
                ulong value = BinaryPrimitives.ReadUInt64BigEndian(slot);
                if (value > long.MaxValue) throw new BmffFormatException("chunk offset out of range");
                BinaryPrimitives.WriteUInt64BigEndian(slot, (ulong)shift((long)value));
            }
        }
    }

    private static void PatchTrackFragmentHeader(Span<byte> payload, Func<long, long> shift)
    {
        if (payload.Length < 8) throw new BmffFormatException("tfhd too short");
        uint flags = BinaryPrimitives.ReadUInt32BigEndian(payload) & 0xFFFFFF;
        if ((flags & 0x000001) == 0) return; // no base-data-offset: relative to moof, nothing to move
        if (payload.Length < 16) throw new BmffFormatException("tfhd too short for its base data offset");
        var slot = payload.Slice(8, 8);
        BinaryPrimitives.WriteUInt64BigEndian(slot, (ulong)shift((long)BinaryPrimitives.ReadUInt64BigEndian(slot)));
    }

    private static void PatchTrackFragmentRandomAccess(Span<byte> payload, Func<long, long> shift)
    {
        if (payload.Length < 16) throw new BmffFormatException("tfra too short");
        bool wide = payload[0] == 1;
        uint sizes = BinaryPrimitives.ReadUInt32BigEndian(payload[8..]);
        int trailing = (int)(((sizes >> 4) & 3) + 1 + ((sizes >> 2) & 3) + 1 + (sizes & 3) + 1);
        uint count = BinaryPrimitives.ReadUInt32BigEndian(payload[12..]);
        int entry = (wide ? 16 : 8) + trailing;
        if ((ulong)count * (ulong)entry > (ulong)(payload.Length - 16)) throw new BmffFormatException("tfra entry count exceeds the box");
        for (int i = 0; i < count; i++)
        {
            var slot = payload.Slice(16 + i * entry + (wide ? 8 : 4), wide ? 8 : 4);
            if (wide) BinaryPrimitives.WriteUInt64BigEndian(slot, (ulong)shift((long)BinaryPrimitives.ReadUInt64BigEndian(slot)));
            else
            {
                long moved = shift(BinaryPrimitives.ReadUInt32BigEndian(slot));
                if (moved > uint.MaxValue) throw new BmffFormatException("a 32-bit moof offset would overflow after inserting the manifest");
                BinaryPrimitives.WriteUInt32BigEndian(slot, (uint)moved);
            }
        }
    }

    private static (string Type, int HeaderLength, int Size) Header(ReadOnlySpan<byte> data, int at, int end)
    {
        if (end - at < 8) throw new BmffFormatException("truncated box header");
        ulong size = BinaryPrimitives.ReadUInt32BigEndian(data[at..]);
        int header = 8;
        if (size == 1)
        {
            if (end - at < 16) throw new BmffFormatException("truncated box header");
            size = BinaryPrimitives.ReadUInt64BigEndian(data[(at + 8)..]);
            header = 16;
        }
        else if (size == 0) size = (ulong)(end - at);
        if (size < (ulong)header || size > (ulong)(end - at)) throw new BmffFormatException("box size beyond its parent");
        return (Encoding.Latin1.GetString(data.Slice(at + 4, 4)), header, (int)size);
    }
}
