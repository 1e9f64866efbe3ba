using System.Buffers.Binary;
using System.Text;

namespace Provenance.Formats.Tests.Bmff;

/// <summary>Builds BMFF boxes byte by byte for crafted test files.</summary>
internal static class BoxBuilder
{
    public static byte[] Box(string type, params byte[][] content)
    {
        int length = content.Sum(part => part.Length);
        var box = new byte[8 + length];
        BinaryPrimitives.WriteUInt32BigEndian(box, (uint)box.Length);
        Encoding.Latin1.GetBytes(type, box.AsSpan(4));
        int offset = 8;
        foreach (var part in content)
        {
            part.CopyTo(box, offset);
            offset += part.Length;
        }
        return box;
    }

    public static byte[] FullBox(string type, byte version, uint flags, params byte[][] content) =>
        Box(type, [.. VersionFlags(version, flags), .. content.SelectMany(part => part)]);

    public static byte[] VersionFlags(byte version, uint flags) => [version, (byte)(flags >> 16), (byte)(flags >> 8), (byte)flags];

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

    public static byte[] Ftyp(string major = "isom") => Box("ftyp", Encoding.Latin1.GetBytes(major), U32(0), Encoding.Latin1.GetBytes("isomiso2"));

    public static byte[] Stco(params uint[] offsets) => FullBox("stco", 0, 0, [.. U32((uint)offsets.Length), .. offsets.SelectMany(U32)]);

    public static byte[] Co64(params ulong[] offsets) => FullBox("co64", 0, 0, [.. U32((uint)offsets.Length), .. offsets.SelectMany(U64)]);

    public static byte[] MoovWith(byte[] chunkOffsetBox) =>
        Box("moov", Box("trak", Box("mdia", Box("minf", Box("stbl", chunkOffsetBox)))));

    public static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(part => part)];
}
