using Provenance.Formats.Bmff;
using static Provenance.Formats.Tests.Bmff.BoxBuilder;

namespace Provenance.Formats.Tests.Bmff;

public sealed class BmffRewriterTests
{
    private static readonly byte[] NewBox = Box("uuid", [.. BmffLayout.C2paUuid.ToByteArray(bigEndian: true), .. new byte[40]]);

    private static (byte[] Output, BmffRewriteResult Result) Rewrite(byte[] file, Func<BmffLayout, IReadOnlyList<BmffEdit>> edits)
    {
        var input = new MemoryStream(file);
        var layout = BmffLayout.Read(input);
        var output = new MemoryStream();
        var result = BmffRewriter.Rewrite(input, output, edits(layout));
        return (output.ToArray(), result);
    }

    private static long[] ChunkOffsets(byte[] file)
    {
        var stream = new MemoryStream(file);
        var table = BmffLayout.Read(stream).ReadMoov(stream)!.Descendants("stco").Concat(BmffLayout.Read(stream).ReadMoov(stream)!.Descendants("co64")).Single();
        return BmffOffsetTables.ReadChunkOffsets(table.Type, BmffLayout.ReadContent(stream, table.Header));
    }

    [Fact]
    public void InsertAfterFtyp_ShiftsStcoEntriesAtOrAfterTheInsertionPoint()
    {
        byte[] ftyp = Ftyp();
        byte[] mdat = Box("mdat", new byte[100]);
        uint first = (uint)(ftyp.Length + 8);
        var file = Concat(ftyp, mdat, MoovWith(Stco(first, first + 50)));

        var (output, result) = Rewrite(file, layout => [new BmffEdit.Insert(layout.Ftyp!.Value.End, NewBox)]);

        Assert.Equal([first + NewBox.Length, first + 50 + NewBox.Length], ChunkOffsets(output));
        Assert.Equal(2, result.PatchedOffsets);
        Assert.Equal(ftyp.Length, result.EditOffsets[0]);
        Assert.Equal(NewBox, output.AsSpan(ftyp.Length, NewBox.Length).ToArray());
        Assert.Equal(mdat, output.AsSpan(ftyp.Length + NewBox.Length, mdat.Length).ToArray());
    }

    [Fact]
    public void InsertAfterFtyp_ShiftsCo64Entries()
    {
        byte[] ftyp = Ftyp();
        var file = Concat(ftyp, Box("mdat", new byte[10]), MoovWith(Co64((ulong)ftyp.Length + 8)));

        var (output, _) = Rewrite(file, layout => [new BmffEdit.Insert(layout.Ftyp!.Value.End, NewBox)]);

        Assert.Equal([ftyp.Length + 8 + NewBox.Length], ChunkOffsets(output));
    }

    [Fact]
    public void Insert_PushingStcoPast32Bits_IsAClearError()
    {
        // A sparse file just over 4 GiB: ftyp, moov whose stco points near the 32-bit limit, then a huge mdat.
        var path = Path.Combine(Path.GetTempPath(), $"provenance-stco-{Guid.NewGuid():N}.mp4");
        try
        {
            byte[] head = Concat(Ftyp(), MoovWith(Stco(uint.MaxValue - 10)));
            long mdatSize = (1L << 32) + 100 - head.Length;
            using (var file = File.Create(path))
            {
                file.Write(head);
                file.Write([0, 0, 0, 1, .. "mdat"u8, .. U64((ulong)mdatSize)]);
                file.SetLength(head.Length + mdatSize);
            }

            using var input = File.OpenRead(path);
            var layout = BmffLayout.Read(input);
            var error = Assert.Throws<BmffException>(() => BmffRewriter.Rewrite(input, Stream.Null, [new BmffEdit.Insert(layout.Ftyp!.Value.End, NewBox)]));

            Assert.Contains("co64", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ChunkOffsetBeyondTheFile_IsRefused()
    {
        var file = Concat(Ftyp(), Box("mdat", new byte[10]), MoovWith(Stco(1_000_000)));

        Assert.Throws<BmffException>(() => Rewrite(file, layout => [new BmffEdit.Insert(layout.Ftyp!.Value.End, NewBox)]));
    }

    [Fact]
    public void ReplaceWithSmallerBox_ShiftsLaterOffsetsBackAndLeavesEarlierOnes()
    {
        byte[] ftyp = Ftyp();
        byte[] early = Box("mdat", new byte[10]);
        byte[] old = Box("free", new byte[64]);
        uint before = (uint)ftyp.Length + 8;
        uint after = (uint)(ftyp.Length + early.Length + old.Length + 8);
        var file = Concat(ftyp, early, old, Box("mdat", new byte[10]), MoovWith(Stco(before, after)));
        byte[] replacement = Box("free", new byte[4]);

        var (output, _) = Rewrite(file, layout => [new BmffEdit.Replace(layout.Boxes[2], replacement)]);

        Assert.Equal([before, after - 64 + 4], ChunkOffsets(output));
    }

    [Fact]
    public void Replace_WhenAnOffsetPointsIntoTheReplacedBox_IsRefused()
    {
        byte[] ftyp = Ftyp();
        var file = Concat(ftyp, Box("mdat", new byte[10]), MoovWith(Stco((uint)ftyp.Length + 8)));

        Assert.Throws<BmffException>(() => Rewrite(file, layout => [new BmffEdit.Replace(layout.Boxes[1], Box("mdat"))]));
    }

    [Fact]
    public void Insert_AtAnOffsetThatIsNotABoxBoundary_IsRefused()
    {
        var file = Concat(Ftyp(), Box("mdat", new byte[10]));

        Assert.Throws<BmffException>(() => Rewrite(file, _ => [new BmffEdit.Insert(3, NewBox)]));
    }

    [Fact]
    public void Insert_BytesThatAreNotOneBox_AreRefused()
    {
        var file = Concat(Ftyp(), Box("mdat", new byte[10]));

        Assert.Throws<ArgumentException>(() => Rewrite(file, layout => [new BmffEdit.Insert(layout.Ftyp!.Value.End, new byte[] { 0, 0, 0, 9, 0x66, 0x72, 0x65, 0x65 })]));
    }

    [Fact]
    public void Insert_PatchesTfhdBaseOffsetsAndTfraMoofOffsets()
    {
        byte[] ftyp = Ftyp();
        byte[] moov = Box("moov", Box("mvex"));
        long moofOffset = ftyp.Length + moov.Length;
        byte[] tfhd = FullBox("tfhd", 0, 1, U32(1), U64((ulong)moofOffset));
        byte[] moof = Box("moof", Box("traf", tfhd));
        byte[] mdat = Box("mdat", new byte[16]);
        // tfra version 1: track 1, sizes 0 (one byte each), one entry: time, moof offset, traf, trun, sample.
        byte[] tfra = FullBox("tfra", 1, 0, U32(1), U32(0), U32(1), U64(0), U64((ulong)moofOffset), [1, 1, 1]);
        var file = Concat(ftyp, moov, moof, mdat, Box("mfra", tfra));

        var (output, result) = Rewrite(file, layout => [new BmffEdit.Insert(layout.Ftyp!.Value.End, NewBox)]);

        Assert.Equal(2, result.PatchedOffsets);
        var stream = new MemoryStream(output);
        var layout = BmffLayout.Read(stream);
        var newMoof = layout.Find("moof")!.Value;
        var newTfhd = BmffReader.ReadTree(stream, newMoof).Descendants("tfhd").Single();
        Assert.Equal(newMoof.Offset, BmffOffsetTables.ReadBaseDataOffset(BmffLayout.ReadContent(stream, newTfhd.Header)));
        var tfraContent = BmffLayout.ReadContent(stream, BmffReader.ReadTree(stream, layout.Find("mfra")!.Value).Children[0].Header);
        Assert.Equal(newMoof.Offset, (long)System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(tfraContent.AsSpan(24)));
    }

    [Fact]
    public void Insert_BetweenSidxAndItsMedia_PatchesFirstOffset()
    {
        byte[] ftyp = Ftyp();
        // sidx v0: reference id, timescale, ept, first_offset 0, reserved, count 1, one reference of 24 bytes.
        byte[] sidx = FullBox("sidx", 0, 0, U32(1), U32(1000), U32(0), U32(0), [0, 0, 0, 1], U32(24), U32(1000), U32(0x90000000));
        byte[] moof = Box("moof", Box("mfhd", new byte[8]));
        var file = Concat(ftyp, Box("moov"), sidx, moof);

        var (output, result) = Rewrite(file, layout => [new BmffEdit.Insert(layout.Find("sidx")!.Value.End, NewBox)]);

        Assert.Equal(1, result.PatchedOffsets);
        var stream = new MemoryStream(output);
        var newSidx = BmffLayout.Read(stream).Find("sidx")!.Value;
        Assert.Equal((uint)NewBox.Length, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(BmffLayout.ReadContent(stream, newSidx).AsSpan(16)));
    }

    [Fact]
    public void Insert_ShiftsSaioOffsetsInTheSampleTableOnly()
    {
        byte[] ftyp = Ftyp();
        uint dataAt = (uint)ftyp.Length + 8;
        byte[] saio = FullBox("saio", 0, 0, U32(1), U32(dataAt));
        byte[] moov = Box("moov", Box("trak", Box("mdia", Box("minf", Box("stbl", Stco(dataAt), saio)))));
        byte[] fragmentSaio = FullBox("saio", 0, 0, U32(1), U32(40));
        var file = Concat(ftyp, Box("mdat", new byte[10]), moov, Box("moof", Box("traf", fragmentSaio)));

        var (output, result) = Rewrite(file, layout => [new BmffEdit.Insert(layout.Ftyp!.Value.End, NewBox)]);

        Assert.Equal(2, result.PatchedOffsets);
        var stream = new MemoryStream(output);
        var layout = BmffLayout.Read(stream);
        var saioBoxes = BmffReader.ReadTree(stream, layout.Moov!.Value).Descendants("saio")
            .Concat(BmffReader.ReadTree(stream, layout.Find("moof")!.Value).Descendants("saio"))
            .Select(box => System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(BmffLayout.ReadContent(stream, box.Header).AsSpan(8)))
            .ToList();
        Assert.Equal([dataAt + (uint)NewBox.Length, 40u], saioBoxes);
    }

    [Fact]
    public void Insert_QuickTimeFileWithWideAtomAndSizeZeroMdat_KeepsMdatRunningToTheEnd()
    {
        byte[] ftyp = Ftyp("qt  ");
        byte[] wide = Box("wide");
        byte[] moovPlaceholder = MoovWith(Stco(0));
        uint dataAt = (uint)(ftyp.Length + moovPlaceholder.Length + wide.Length + 8);
        var file = Concat(ftyp, MoovWith(Stco(dataAt)), wide, [0, 0, 0, 0, .. "mdat"u8, 1, 2, 3, 4, 5, 6]);

        var (output, _) = Rewrite(file, layout => [new BmffEdit.Insert(layout.Ftyp!.Value.End, NewBox)]);

        var layout = BmffLayout.Read(new MemoryStream(output));
        Assert.True(layout.IsQuickTime);
        Assert.Equal(["ftyp", "uuid", "moov", "wide", "mdat"], layout.Boxes.Select(box => box.Type));
        Assert.True(layout.Boxes[^1].ExtendsToEnd);
        Assert.Equal([dataAt + NewBox.Length], ChunkOffsets(output));
        Assert.Equal(1, output[(int)(dataAt + NewBox.Length)]);
    }

    [Fact]
    public void Insert_PatchesIlocItemsAtFileOffsetsButNotItemsInIdat()
    {
        byte[] ftyp = Ftyp();
        uint dataAt = (uint)ftyp.Length + 8;
        byte[] hdlr = FullBox("hdlr", 0, 0, U32(0), "pict"u8.ToArray(), new byte[12], [0]);
        // iloc version 1, offset and length 4 bytes, base offset 4 bytes: item 1 in the file with base + extent,
        // item 2 in idat (construction method 1).
        byte[] iloc = FullBox("iloc", 1, 0, [0x44, 0x40], [0, 2],
            [0, 1], [0, 0], [0, 0], U32(dataAt - 2), [0, 1], U32(2), U32(6),
            [0, 2], [0, 1], [0, 0], U32(0), [0, 1], U32(0), U32(3));
        var file = Concat(ftyp, Box("mdat", new byte[10]), Box("meta", VersionFlags(0, 0), hdlr, iloc, Box("idat", new byte[3])));

        var (output, result) = Rewrite(file, layout => [new BmffEdit.Insert(layout.Ftyp!.Value.End, NewBox)]);

        Assert.Equal(1, result.PatchedOffsets);
        var stream = new MemoryStream(output);
        var meta = BmffReader.ReadTree(stream, BmffLayout.Read(stream).Find("meta")!.Value);
        var content = BmffLayout.ReadContent(stream, meta.Child("iloc")!.Header);
        Assert.Equal(dataAt - 2 + (uint)NewBox.Length, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(content.AsSpan(14)));
        Assert.Equal(0u, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(content.AsSpan(34)));
    }

    [Fact]
    public void Rewrite_WithNoEdits_CopiesTheFileUnchanged()
    {
        var file = Concat(Ftyp(), Box("mdat", new byte[5000]), MoovWith(Stco(32)));

        var (output, result) = Rewrite(file, _ => []);

        Assert.Equal(file, output);
        Assert.Equal(0, result.PatchedOffsets);
    }
}
