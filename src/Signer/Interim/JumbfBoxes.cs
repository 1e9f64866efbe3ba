using System.Buffers.Binary;
using System.Text;

namespace Provenance.Signer.Interim;

// Minimal JUMBF (ISO/IEC 19566-5) writer and reader for the C2PA manifest store, kept separate so it
// can be replaced by the shared format library's JUMBF support without touching the C2PA logic.

/// <summary>A JUMBF box that could not be read: the store is malformed.</summary>
public sealed class JumbfFormatException(string message) : Exception(message);

/// <summary>A JUMBF superbox as read from a store: description plus children, with its byte range.</summary>
public sealed class JumbfSuperbox
{
    public required byte[] TypeUuid { get; init; }
    public required string? Label { get; init; }
    public required byte Toggles { get; init; }
    /// <summary>Offset of this superbox (its 8-byte header) in the store buffer.</summary>
    public required int Offset { get; init; }
    public required int Length { get; init; }
    /// <summary>Length of this superbox's own header (8, or 16 with a large size).</summary>
    public required int HeaderLength { get; init; }
    public List<JumbfSuperbox> Superboxes { get; } = [];
    /// <summary>Content boxes (not superboxes, not the description): type and payload range.</summary>
    public List<(string Type, int Offset, int Length)> ContentBoxes { get; } = [];

    public JumbfSuperbox? Child(string label) => Superboxes.FirstOrDefault(s => s.Label == label);
}

/// <summary>Builds and parses JUMBF superboxes.</summary>
public static class JumbfBoxes
{
    public const int MaxDepth = 32;

    /// <summary>A superbox: <c>jumd</c> (type, toggles, label) followed by <paramref name="contents"/> (already-encoded boxes).</summary>
    public static byte[] Superbox(byte[] typeUuid, string label, params byte[][] contents)
    {
        var labelBytes = Encoding.UTF8.GetBytes(label);
        int jumdLength = 8 + 16 + 1 + labelBytes.Length + 1;
        int total = 8 + jumdLength + contents.Sum(c => c.Length);
        var box = new byte[total];
        BinaryPrimitives.WriteUInt32BigEndian(box, (uint)total);
        "jumb"u8.CopyTo(box.AsSpan(4));
        BinaryPrimitives.WriteUInt32BigEndian(box.AsSpan(8), (uint)jumdLength);
        "jumd"u8.CopyTo(box.AsSpan(12));
        typeUuid.CopyTo(box.AsSpan(16));
        box[32] = 0x03; // label present, requestable
        labelBytes.CopyTo(box.AsSpan(33));
        int at = 8 + jumdLength;
        foreach (var c in contents)
        {
            c.CopyTo(box.AsSpan(at));
            at += c.Length;
        }
        return box;
    }

    /// <summary>A plain content box (e.g. <c>cbor</c>) with <paramref name="payload"/>.</summary>
    public static byte[] ContentBox(string type, ReadOnlySpan<byte> payload)
    {
        var box = new byte[8 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(box, (uint)box.Length);
        Encoding.ASCII.GetBytes(type).CopyTo(box.AsSpan(4));
        payload.CopyTo(box.AsSpan(8));
        return box;
    }

    /// <summary>Parses a whole store: exactly one superbox spanning <paramref name="store"/>.</summary>
    public static JumbfSuperbox Parse(ReadOnlySpan<byte> store)
    {
        var (type, headerLength, length) = Header(store, 0, store.Length);
        if (type != "jumb") throw new JumbfFormatException("the manifest store is not a JUMBF superbox");
        if (length != store.Length) throw new JumbfFormatException("trailing bytes after the manifest store");
        return ParseSuperbox(store, 0, headerLength, length, 1);
    }

    private static JumbfSuperbox ParseSuperbox(ReadOnlySpan<byte> data, int offset, int headerLength, int length, int depth)
    {
        if (depth > MaxDepth) throw new JumbfFormatException("JUMBF nesting too deep");
        int at = offset + headerLength;
        int end = offset + length;
        var (dtype, dheader, dlength) = Header(data, at, end);
        if (dtype != "jumd") throw new JumbfFormatException("JUMBF superbox without a description box");
        int p = at + dheader;
        int dend = at + dlength;
        if (dend - p < 17) throw new JumbfFormatException("JUMBF description box too short");
        var typeUuid = data.Slice(p, 16).ToArray();
        byte toggles = data[p + 16];
        p += 17;
        string? label = null;
        if ((toggles & 0x02) != 0)
        {
            int nul = data[p..dend].IndexOf((byte)0);
            if (nul < 0) throw new JumbfFormatException("JUMBF label is not NUL-terminated");
            try
            {
                label = new UTF8Encoding(false, true).GetString(data.Slice(p, nul));
            }
            catch (ArgumentException)
            {
                throw new JumbfFormatException("JUMBF label is not UTF-8");
            }
            p += nul + 1;
        }
        var box = new JumbfSuperbox { TypeUuid = typeUuid, Label = label, Toggles = toggles, Offset = offset, Length = length, HeaderLength = headerLength };
        at = dend;
        while (at < end)
        {
            var (ctype, cheader, clength) = Header(data, at, end);
            if (ctype == "jumb") box.Superboxes.Add(ParseSuperbox(data, at, cheader, clength, depth + 1));
            else box.ContentBoxes.Add((ctype, at + cheader, clength - cheader));
            at += clength;
        }
        return box;
    }

    private static (string Type, int HeaderLength, int Length) Header(ReadOnlySpan<byte> data, int at, int end)
    {
        if (end - at < 8) throw new JumbfFormatException("truncated JUMBF box header");
        ulong size = BinaryPrimitives.ReadUInt32BigEndian(data[at..]);
        int header = 8;
        if (size == 1)
        {
            if (end - at < 16) throw new JumbfFormatException("truncated JUMBF box header");
            size = BinaryPrimitives.ReadUInt64BigEndian(data[(at + 8)..]);
            header = 16;
        }
        else if (size == 0) size = (ulong)(end - at);
        if (size < (ulong)header || size > (ulong)(end - at)) throw new JumbfFormatException("JUMBF box size out of range");
        var type = Encoding.Latin1.GetString(data.Slice(at + 4, 4));
        return (type, header, (int)size);
    }
}
