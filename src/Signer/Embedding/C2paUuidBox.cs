using System.Buffers.Binary;
using Provenance.Signer.C2pa;

namespace Provenance.Signer.Embedding;

/// <summary>The top-level <c>uuid</c> box carrying a C2PA manifest store (purpose <c>manifest</c>).</summary>
public static class C2paUuidBox
{
    private static readonly byte[] ManifestPurpose = "manifest\0"u8.ToArray();

    /// <summary>Bytes before the store: size, type, extended type, version/flags, purpose, merkle offset.</summary>
    public static int HeaderLength => 8 + 16 + 4 + ManifestPurpose.Length + 8;

    public static byte[] Header(int storeLength)
    {
        var header = new byte[HeaderLength];
        BinaryPrimitives.WriteUInt32BigEndian(header, checked((uint)(HeaderLength + storeLength)));
        "uuid"u8.CopyTo(header.AsSpan(4));
        C2paLabels.BmffUuid.CopyTo(header.AsSpan(8));
        // version/flags (4 bytes) stay zero
        ManifestPurpose.CopyTo(header.AsSpan(28));
        // first merkle box offset (8 bytes): 0, none
        return header;
    }

    /// <summary>
    /// Reads the payload of a C2PA <c>uuid</c> box (after the 24-byte header): returns the purpose and the
    /// offset of the store inside the payload, or null when the payload is malformed.
    /// </summary>
    public static (string Purpose, int StoreOffset)? ParsePayload(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < 5 || payload[0] != 0 || payload[1] != 0 || payload[2] != 0 || payload[3] != 0) return null;
        int nul = payload[4..].IndexOf((byte)0);
        if (nul < 0) return null;
        var purpose = System.Text.Encoding.ASCII.GetString(payload.Slice(4, nul));
        int at = 4 + nul + 1;
        if (purpose == "manifest")
        {
            if (payload.Length - at < 8) return null;
            at += 8; // offset of the first merkle box
        }
        return (purpose, at);
    }
}
