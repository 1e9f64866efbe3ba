using System.Buffers.Binary;
using System.Text;

namespace Provenance.Formats.Jumbf;

internal static class JumbfWriter
{
    public static byte[] WithHeader(string type, ReadOnlySpan<byte> contents)
    {
        CheckType(type);
        long size = 8L + contents.Length;
        bool large = size > uint.MaxValue;
        int headerLength = large ? 16 : 8;
        var box = new byte[headerLength + contents.Length];
        BinaryPrimitives.WriteUInt32BigEndian(box, large ? 1u : (uint)size);
        Encoding.ASCII.GetBytes(type, box.AsSpan(4, 4));
        if (large)
            BinaryPrimitives.WriteUInt64BigEndian(box.AsSpan(8), (ulong)(16L + contents.Length));
        contents.CopyTo(box.AsSpan(headerLength));
        return box;
    }

    public static byte[] DescriptionContents(JumbfDescription description)
    {
        var parts = new List<byte[]>();
        var head = new byte[17];
        description.TypeId.TryWriteBytes(head, bigEndian: true, out _);
        head[16] = description.Toggles;
        parts.Add(head);
        if (description.Label is not null)
            parts.Add([.. Encoding.UTF8.GetBytes(description.Label), 0]);
        if (description.Id is uint id)
        {
            var idBytes = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(idBytes, id);
            parts.Add(idBytes);
        }
        if (description.Hash is not null)
            parts.Add(description.Hash);
        if (description.PrivateBox is not null)
            parts.Add(description.PrivateBox.Encode());
        return Concat(parts);
    }

    public static byte[] Concat(List<byte[]> parts)
    {
        long total = parts.Sum(part => (long)part.Length);
        var result = new byte[total];
        int offset = 0;
        foreach (var part in parts)
        {
            part.CopyTo(result, offset);
            offset += part.Length;
        }
        return result;
    }

    public static int HeaderLength(ReadOnlySpan<byte> box) => BinaryPrimitives.ReadUInt32BigEndian(box) == 1 ? 16 : 8;

    public static void CheckType(string type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (type.Length != 4 || type.Any(c => c > 0x7E || c < 0x20))
            throw new ArgumentException("a box type is four printable ASCII characters", nameof(type));
    }
}
