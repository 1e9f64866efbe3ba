using System.Buffers.Binary;
using System.Security.Cryptography;
using Provenance.Formats.Cbor;
using Provenance.Formats.Jumbf;

namespace Provenance.Formats.Tests.Jumbf;

public sealed class JumbfTests
{
    [Fact]
    public void ManifestStore_RoundTripsByteForByte()
    {
        var encoded = JumbfSamples.ManifestStore().Encode();

        var store = JumbfReader.Read(encoded);

        Assert.Equal(JumbfTypes.ManifestStore, store.TypeId);
        Assert.Equal("c2pa", store.Label);
        Assert.Equal(encoded, store.Encode());
        Assert.Equal(encoded, store.Original.ToArray());
    }

    [Fact]
    public void FindPath_ReachesAssertionAndItsCborContent()
    {
        var store = JumbfReader.Read(JumbfSamples.ManifestStore().Encode());
        var manifest = Assert.Single(store.SuperBoxes);

        var actions = manifest.FindPath("c2pa.assertions/c2pa.actions.v2");

        Assert.NotNull(actions);
        Assert.Equal(JumbfTypes.Cbor, actions.TypeId);
        Assert.Equal(0, CborValue.Decode(actions.SingleContent(JumbfBoxTypes.Cbor).Payload).AsMap()["index"].AsInt32());
        Assert.Null(manifest.FindPath("c2pa.assertions/c2pa.missing"));
        Assert.Equal(JumbfTypes.Claim, manifest.FindChild("c2pa.claim.v2")!.TypeId);
    }

    [Fact]
    public void Description_WithSaltBox_HasToggles0x13AndKeepsTheSalt()
    {
        var store = JumbfReader.Read(JumbfSamples.ManifestStore().Encode());

        var salted = store.SuperBoxes.Single().FindPath("c2pa.assertions/stds.schema-org.CreativeWork")!;

        Assert.Equal(0x13, salted.Description.Toggles);
        Assert.Equal(JumbfBoxTypes.SaltHash, salted.Description.PrivateBox!.Type);
        Assert.Equal(16, salted.Description.PrivateBox.Payload.Length);
    }

    [Fact]
    public void Description_WithIdAndHash_RoundTrips()
    {
        var hash = SHA256.HashData("content"u8);
        var box = new JumbfSuperBox(new JumbfDescription(JumbfTypes.Cbor, "labelled", id: 7, hash: hash), [JumbfContentBox.Cbor([0x00])]);

        var read = JumbfReader.Read(box.Encode());

        Assert.Equal(0x0F, read.Description.Toggles);
        Assert.Equal(7u, read.Description.Id);
        Assert.Equal(hash, read.Description.Hash);
    }

    [Fact]
    public void ContentsForHashing_CoversDescriptionAndChildrenWithoutHeader()
    {
        var built = JumbfSamples.ManifestStore();
        var claimBuilt = built.SuperBoxes.Single().FindChild("c2pa.claim.v2")!;
        var read = JumbfReader.Read(built.Encode()).SuperBoxes.Single().FindChild("c2pa.claim.v2")!;

        var contents = read.ContentsForHashing();

        Assert.Equal(claimBuilt.EncodeContents(), contents.ToArray());
        Assert.Equal(read.Original.Length - 8, contents.Length);
        Assert.Equal("jumd", System.Text.Encoding.ASCII.GetString(contents.Span.Slice(4, 4)));
    }

    [Fact]
    public void Read_XLBoxSizes_AreAccepted()
    {
        // jumb with 64-bit size, holding a jumd with 64-bit size.
        var description = new JumbfDescription(JumbfTypes.Json, "x").Encode()[8..];
        var jumd = XlBox("jumd", description);
        var jumb = XlBox("jumb", jumd);

        var read = JumbfReader.Read(jumb);

        Assert.Equal("x", read.Label);
        Assert.Empty(read.Children);
    }

    [Fact]
    public void FindChild_DuplicateLabels_IsAmbiguous()
    {
        var store = new JumbfSuperBox(JumbfTypes.ManifestStore, "c2pa",
            new JumbfSuperBox(JumbfTypes.StandardManifest, "same"),
            new JumbfSuperBox(JumbfTypes.StandardManifest, "same"));

        var read = JumbfReader.Read(store.Encode());

        Assert.Throws<JumbfException>(() => read.FindChild("same"));
    }

    [Theory]
    [InlineData("truncated header")]
    [InlineData("size zero")]
    [InlineData("size below header")]
    [InlineData("child overruns parent")]
    [InlineData("no description")]
    [InlineData("label without terminator")]
    [InlineData("bytes after description fields")]
    [InlineData("bytes after superbox")]
    [InlineData("reserved toggle bits")]
    [InlineData("XLBox beyond input")]
    [InlineData("two descriptions")]
    public void Read_MalformedStore_ThrowsJumbfException(string defect)
    {
        var valid = new JumbfSuperBox(JumbfTypes.Cbor, "a", JumbfContentBox.Cbor([0x01])).Encode();
        var bytes = defect switch
        {
            "truncated header" => valid[..6],
            "size zero" => WithUInt32(valid, 0, 0),
            "size below header" => WithUInt32(valid, 0, 4),
            "child overruns parent" => WithUInt32(valid, valid.Length - 9, 200),
            "no description" => Box("jumb", Box("cbor", [1])),
            "label without terminator" => Box("jumb", Box("jumd", [.. new byte[16], 0x03, (byte)'a'])),
            "bytes after description fields" => Box("jumb", Box("jumd", [.. new byte[16], 0x03, (byte)'a', 0, 9])),
            "bytes after superbox" => [.. valid, 0],
            "reserved toggle bits" => Box("jumb", Box("jumd", [.. new byte[16], 0x83, (byte)'a', 0])),
            "XLBox beyond input" => [0, 0, 0, 1, .. "jumb"u8, 0, 0, 0, 0, 0, 0, 1, 0],
            "two descriptions" => Box("jumb", [.. Box("jumd", [.. new byte[16], 0x00]), .. Box("jumd", [.. new byte[16], 0x00])]),
            _ => throw new ArgumentOutOfRangeException(nameof(defect)),
        };

        Assert.Throws<JumbfException>(() => JumbfReader.Read(bytes));
    }

    [Fact]
    public void Read_ThousandDeepNesting_IsRejectedAtTheDepthLimit()
    {
        byte[] inner = Box("jumb", Box("jumd", [.. new byte[16], 0x00]));
        for (int i = 0; i < 1000; i++)
            inner = Box("jumb", [.. Box("jumd", [.. new byte[16], 0x00]), .. inner]);

        var error = Assert.Throws<JumbfException>(() => JumbfReader.Read(inner));

        Assert.Contains("deeper", error.Message);
    }

    internal static byte[] Box(string type, byte[] content)
    {
        var box = new byte[8 + content.Length];
        BinaryPrimitives.WriteUInt32BigEndian(box, (uint)box.Length);
        System.Text.Encoding.ASCII.GetBytes(type, box.AsSpan(4));
        content.CopyTo(box, 8);
        return box;
    }

    private static byte[] XlBox(string type, byte[] content)
    {
        var box = new byte[16 + content.Length];
        BinaryPrimitives.WriteUInt32BigEndian(box, 1);
        System.Text.Encoding.ASCII.GetBytes(type, box.AsSpan(4));
        BinaryPrimitives.WriteUInt64BigEndian(box.AsSpan(8), (ulong)box.Length);
        content.CopyTo(box, 16);
        return box;
    }

    private static byte[] WithUInt32(byte[] source, int offset, uint value)
    {
        var copy = source.ToArray();
        BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(offset), value);
        return copy;
    }
}
