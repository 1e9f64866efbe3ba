using System.Buffers.Binary;
using Provenance.Formats.Bmff;
using static Provenance.Formats.Tests.Bmff.BoxBuilder;

namespace Provenance.Formats.Tests.Bmff;

public sealed class BmffReaderTests
{
    private static BmffLayout Layout(byte[] file) => BmffLayout.Read(new MemoryStream(file));

    [Fact]
    public void Read_SizeZeroLastBox_ExtendsToEndOfFile()
    {
        var file = Concat(Ftyp("qt  "), Box("wide"), [0, 0, 0, 0, .. "mdat"u8, 1, 2, 3, 4, 5]);

        var layout = Layout(file);

        Assert.True(layout.IsQuickTime);
        Assert.Equal(["ftyp", "wide", "mdat"], layout.Boxes.Select(box => box.Type));
        Assert.True(layout.Boxes[2].ExtendsToEnd);
        Assert.Equal(13, layout.Boxes[2].Size);
    }

    [Fact]
    public void Read_LargeSizeAndUuidHeaders_AreMeasuredExactly()
    {
        byte[] large = [0, 0, 0, 1, .. "mdat"u8, .. U64(20), 9, 9, 9, 9];
        byte[] uuid = Box("uuid", [.. BmffLayout.C2paUuid.ToByteArray(bigEndian: true), 7]);

        var layout = Layout(Concat(Ftyp(), large, uuid));

        Assert.True(layout.Boxes[1].IsLargeSize);
        Assert.Equal(16, layout.Boxes[1].HeaderLength);
        Assert.Equal(BmffLayout.C2paUuid, layout.Boxes[2].UserType);
        Assert.Equal(24, layout.Boxes[2].HeaderLength);
        Assert.Single(layout.C2paBoxes);
    }

    [Theory]
    [InlineData("box overruns file")]
    [InlineData("size below header")]
    [InlineData("truncated header")]
    [InlineData("largesize overruns")]
    [InlineData("child overruns parent")]
    [InlineData("size zero inside container")]
    [InlineData("ftyp not first")]
    [InlineData("two moov")]
    [InlineData("uuid without extended type")]
    [InlineData("trailing bytes in container")]
    public void Read_MalformedFile_ThrowsBmffException(string defect)
    {
        var file = defect switch
        {
            "box overruns file" => Concat(Ftyp(), [0, 0, 0, 100, .. "mdat"u8]),
            "size below header" => Concat(Ftyp(), [0, 0, 0, 4, .. "free"u8]),
            "truncated header" => Concat(Ftyp(), [0, 0, 0]),
            "largesize overruns" => Concat(Ftyp(), [0, 0, 0, 1, .. "mdat"u8, .. U64(1 << 40)]),
            "child overruns parent" => Concat(Ftyp(), Box("moov", [0, 0, 0, 50, .. "trak"u8])),
            "size zero inside container" => Concat(Ftyp(), Box("moov", [0, 0, 0, 0, .. "trak"u8])),
            "ftyp not first" => Concat(Box("free"), Ftyp()),
            "two moov" => Concat(Ftyp(), Box("moov"), Box("moov")),
            "uuid without extended type" => Concat(Ftyp(), Box("uuid", [1, 2, 3])),
            "trailing bytes in container" => Concat(Ftyp(), Box("moov", Box("trak"), [1, 2, 3])),
            _ => throw new ArgumentOutOfRangeException(nameof(defect)),
        };

        Assert.Throws<BmffException>(() =>
        {
            var stream = new MemoryStream(file);
            BmffLayout.Read(stream).ReadMoov(stream);
        });
    }

    [Fact]
    public void ReadMoov_ThousandDeepNesting_IsRejectedAtDepth32()
    {
        byte[] nested = Box("trak");
        for (int i = 0; i < 1000; i++)
            nested = Box("trak", nested);
        var file = Concat(Ftyp(), Box("moov", nested));
        var stream = new MemoryStream(file);

        var error = Assert.Throws<BmffException>(() => BmffLayout.Read(stream).ReadMoov(stream));

        Assert.Contains("deeper than 32", error.Message);
    }

    [Fact]
    public void ReadMoov_QuickTimeMetaWithoutVersionAndIsoMetaWithIt_BothParse()
    {
        byte[] hdlr = FullBox("hdlr", 0, 0, new byte[20]);
        byte[] quickTimeMeta = Box("meta", hdlr, Box("keys"));
        byte[] isoMeta = Box("meta", VersionFlags(0, 0), hdlr, Box("ilst"));
        var file = Concat(Ftyp("qt  "), Box("moov", Box("udta", quickTimeMeta, [0, 0, 0, 0]), Box("trak", Box("meta", VersionFlags(0, 0), hdlr, Box("ilst")))));
        var stream = new MemoryStream(file);

        var moov = BmffLayout.Read(stream).ReadMoov(stream)!;

        var metas = moov.Descendants("meta").ToList();
        Assert.Equal(["hdlr", "keys"], metas[0].Children.Select(child => child.Type));
        Assert.Equal(["hdlr", "ilst"], metas[1].Children.Select(child => child.Type));
        Assert.Equal(isoMeta.Length, metas[1].Header.Size);
    }

    [Fact]
    public void ReadChunkOffsets_CountBeyondBytes_IsRejected()
    {
        byte[] content = [.. VersionFlags(0, 0), .. U32(1_000_000), .. U32(5)];

        Assert.Throws<BmffException>(() => BmffOffsetTables.ReadChunkOffsets("stco", content));
    }

    [Fact]
    public void C2paBox_RoundTripsPurposeMerkleOffsetStoreAndPadding()
    {
        var store = new Provenance.Formats.Jumbf.JumbfSuperBox(Provenance.Formats.Jumbf.JumbfTypes.ManifestStore, "c2pa").Encode();

        var parsed = C2paBmffBox.Parse(C2paBmffBox.CreateManifest(store, firstMerkleOffset: 1234, paddingLength: 77));

        Assert.Equal("manifest", parsed.Purpose);
        Assert.Equal(1234, parsed.FirstMerkleOffset);
        Assert.Equal(store, parsed.Data.ToArray());
        Assert.Equal(77, parsed.PaddingLength);
    }

    [Fact]
    public void C2paBox_NonZeroPadding_IsRejected()
    {
        var store = new Provenance.Formats.Jumbf.JumbfSuperBox(Provenance.Formats.Jumbf.JumbfTypes.ManifestStore, "c2pa").Encode();
        var box = C2paBmffBox.CreateManifest(store, paddingLength: 4);
        box[^1] = 1;

        Assert.Throws<BmffException>(() => C2paBmffBox.Parse(box));
    }

    [Fact]
    public void C2paBox_ChangedSizeField_IsRejected()
    {
        var box = C2paBmffBox.CreateManifest(new Provenance.Formats.Jumbf.JumbfSuperBox(Provenance.Formats.Jumbf.JumbfTypes.ManifestStore, "c2pa").Encode());
        BinaryPrimitives.WriteUInt32BigEndian(box, (uint)box.Length + 1);

        Assert.Throws<BmffException>(() => C2paBmffBox.Parse(box));
    }
}
