using System.Buffers.Binary;
using Provenance.Formats.Bmff;

namespace Provenance.Formats.Fuzzing;

// Byte-level box construction for crafted samples.
internal static class SampleBoxes
{
    public static byte[] Box(string type, params byte[][] content)
    {
        int length = content.Sum(part => part.Length);
        var box = new byte[8 + length];
        BinaryPrimitives.WriteUInt32BigEndian(box, (uint)box.Length);
        FourCC.Write(type, box.AsSpan(4));
        int offset = 8;
        foreach (var part in content)
        {
            part.CopyTo(box, offset);
            offset += part.Length;
        }
        return box;
    }

    public static byte[] FullBox(string type, byte version, uint flags, params byte[][] content) =>
        Box(type, [[version, (byte)(flags >> 16), (byte)(flags >> 8), (byte)flags], .. content]);

    public static byte[] U32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    public static byte[] U64(ulong value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        return bytes;
    }
}
