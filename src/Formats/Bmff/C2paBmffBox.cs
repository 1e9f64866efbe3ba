using System.Buffers.Binary;
using System.Text;

namespace Provenance.Formats.Bmff;

/// <summary>The payload of a C2PA <c>uuid</c> box.</summary>
/// <param name="Purpose">"manifest", "original", "update" or "merkle".</param>
/// <param name="FirstMerkleOffset">For manifest-like purposes: absolute offset of the first merkle box, 0 if none.</param>
/// <param name="Data">The JUMBF manifest store (padding removed), or the merkle CBOR as stored.</param>
/// <param name="PaddingLength">Zero bytes after the store.</param>
public sealed record C2paBoxContent(string Purpose, long FirstMerkleOffset, ReadOnlyMemory<byte> Data, int PaddingLength);

/// <summary>Builds and parses the C2PA top-level box: <c>uuid</c> D8FEC3D6-1B0E-483C-9297-5828877EC481.</summary>
public static class C2paBmffBox
{
    public const string ManifestPurpose = "manifest";
    public const string OriginalPurpose = "original";
    public const string UpdatePurpose = "update";
    public const string MerklePurpose = "merkle";

    private const int MaxPurposeBytes = 64;

    /// <summary>A manifest box: version/flags 0, purpose, 8-byte first-merkle offset, the store, then zero padding.</summary>
    public static byte[] CreateManifest(ReadOnlySpan<byte> manifestStore, long firstMerkleOffset = 0, int paddingLength = 0, string purpose = ManifestPurpose)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(paddingLength);
        ArgumentOutOfRangeException.ThrowIfNegative(firstMerkleOffset);
        var purposeBytes = Encoding.ASCII.GetBytes(purpose);
        long size = 8L + 16 + 4 + purposeBytes.Length + 1 + 8 + manifestStore.Length + paddingLength;
        var box = NewBox(size, purposeBytes, out int position);
        BinaryPrimitives.WriteUInt64BigEndian(box.AsSpan(position), (ulong)firstMerkleOffset);
        manifestStore.CopyTo(box.AsSpan(position + 8));
        return box;
    }

    /// <summary>A merkle box: version/flags 0, purpose "merkle", then the merkle map CBOR.</summary>
    public static byte[] CreateMerkle(ReadOnlySpan<byte> merkleCbor)
    {
        var purposeBytes = Encoding.ASCII.GetBytes(MerklePurpose);
        long size = 8L + 16 + 4 + purposeBytes.Length + 1 + merkleCbor.Length;
        var box = NewBox(size, purposeBytes, out int position);
        merkleCbor.CopyTo(box.AsSpan(position));
        return box;
    }

    private static byte[] NewBox(long size, byte[] purposeBytes, out int position)
    {
        if (size > uint.MaxValue)
            throw new ArgumentException("C2PA box larger than 4 GiB");
        var box = new byte[size];
        BinaryPrimitives.WriteUInt32BigEndian(box, (uint)size);
        FourCC.Write("uuid", box.AsSpan(4));
        BmffLayout.C2paUuid.TryWriteBytes(box.AsSpan(8), bigEndian: true, out _);
        // version and flags (4 zero bytes) at 24
        purposeBytes.CopyTo(box, 28);
        position = 28 + purposeBytes.Length + 1;
        return box;
    }

    /// <summary>Parses a complete C2PA uuid box (header included).</summary>
    public static C2paBoxContent Parse(ReadOnlyMemory<byte> box)
    {
        var header = BmffReader.ReadHeader(BoxSource.From(box, 0), 0, box.Length, allowToEnd: false);
        if (header.Size != box.Length)
            throw new BmffException($"C2PA box declares {header.Size} bytes but {box.Length} were given", 0);
        if (header.UserType != BmffLayout.C2paUuid)
            throw new BmffException("not a C2PA uuid box", 0);
        var content = box[header.HeaderLength..];
        var span = content.Span;
        if (span.Length < 5)
            throw new BmffException("C2PA box too small for version, flags and purpose", header.HeaderLength);
        if (BinaryPrimitives.ReadUInt32BigEndian(span) != 0)
            throw new BmffException("C2PA box version and flags must be 0", header.HeaderLength);
        int terminator = span[4..Math.Min(span.Length, 4 + MaxPurposeBytes + 1)].IndexOf((byte)0);
        if (terminator < 0)
            throw new BmffException("C2PA box purpose has no NUL terminator", header.HeaderLength + 4);
        var purposeBytes = span.Slice(4, terminator);
        foreach (byte b in purposeBytes)
        {
            if (b is < 0x20 or > 0x7E)
                throw new BmffException("C2PA box purpose is not printable ASCII", header.HeaderLength + 4);
        }
        string purpose = Encoding.ASCII.GetString(purposeBytes);
        int position = 4 + terminator + 1;
        if (purpose == MerklePurpose)
            return new C2paBoxContent(purpose, 0, content[position..], 0);
        if (purpose is not (ManifestPurpose or OriginalPurpose or UpdatePurpose))
            throw new BmffException($"unknown C2PA box purpose '{purpose}'", header.HeaderLength + 4);
        if (span.Length - position < 8)
            throw new BmffException("C2PA box too small for the merkle offset", header.HeaderLength + position);
        ulong merkleOffset = BinaryPrimitives.ReadUInt64BigEndian(span[position..]);
        if (merkleOffset > long.MaxValue)
            throw new BmffException("C2PA box merkle offset beyond 2^63", header.HeaderLength + position);
        position += 8;
        var data = span[position..];
        long storeLength = JumbfLength(data, header.HeaderLength + position);
        if (data[(int)storeLength..].ContainsAnyExcept((byte)0))
            throw new BmffException("bytes after the manifest store are not zero padding", header.HeaderLength + position + storeLength);
        return new C2paBoxContent(purpose, (long)merkleOffset, content.Slice(position, (int)storeLength), data.Length - (int)storeLength);
    }

    // The size of the JUMBF superbox at the start of data, checked against the bytes present.
    private static long JumbfLength(ReadOnlySpan<byte> data, long offset)
    {
        if (data.Length < 8)
            throw new BmffException("C2PA box holds no manifest store", offset);
        long size = BinaryPrimitives.ReadUInt32BigEndian(data);
        if (FourCC.FromBytes(data[4..8]) != "jumb")
            throw new BmffException("C2PA box data does not start with a 'jumb' superbox", offset);
        if (size == 1)
        {
            if (data.Length < 16)
                throw new BmffException("manifest store XLBox is cut short", offset);
            ulong large = BinaryPrimitives.ReadUInt64BigEndian(data[8..]);
            size = large > (ulong)data.Length ? long.MaxValue : (long)large;
        }
        if (size < 8 || size > data.Length)
            throw new BmffException($"manifest store of {size} bytes does not fit the {data.Length} bytes in the box", offset);
        return size;
    }
}
