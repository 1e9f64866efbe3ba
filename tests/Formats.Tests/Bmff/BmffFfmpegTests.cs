using Provenance.Formats.Bmff;
using Provenance.Formats.Fuzzing;
using Provenance.Formats.Jumbf;
using Provenance.Formats.Tests.Jumbf;

namespace Provenance.Formats.Tests.Bmff;

public sealed class BmffFfmpegTests(FfmpegClips clips) : IClassFixture<FfmpegClips>
{
    public static TheoryData<string> Variants() => [.. FfmpegClips.Variants.Keys];

    [Theory]
    [MemberData(nameof(Variants))]
    public void WriteC2paBox_FileStillDecodesToIdenticalFrames(string variant)
    {
        var input = clips.PathOf(variant);
        var output = Path.Combine(clips.Folder, "signed." + variant);
        var box = C2paBmffBox.CreateManifest(JumbfSamples.ManifestStore().Encode(), paddingLength: 1000);

        BmffRewriteResult result;
        using (var source = File.OpenRead(input))
        using (var target = File.Create(output))
            result = BmffRewriter.WriteC2paBox(source, target, box);

        Assert.Equal(FfmpegClips.FrameChecksums(input), FfmpegClips.FrameChecksums(output));
        Assert.Equal(new FileInfo(input).Length + box.Length, result.OutputLength);
        Assert.True(result.PatchedOffsets > 0 || variant.StartsWith("fragmented.") || variant.StartsWith("sidx"), "absolute offsets were patched");
        using var written = File.OpenRead(output);
        var layout = BmffLayout.Read(written);
        var c2pa = Assert.Single(layout.C2paBoxes);
        Assert.Equal(layout.Ftyp!.Value.End, c2pa.Offset);
        Assert.Equal(result.EditOffsets[0], c2pa.Offset);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void WriteC2paBox_AgainReplacesTheExistingBox(string variant)
    {
        var input = clips.PathOf(variant);
        var first = Path.Combine(clips.Folder, "first." + variant);
        var second = Path.Combine(clips.Folder, "second." + variant);
        using (var source = File.OpenRead(input))
        using (var target = File.Create(first))
            BmffRewriter.WriteC2paBox(source, target, C2paBmffBox.CreateManifest(JumbfSamples.ManifestStore(5).Encode()));

        var replacement = C2paBmffBox.CreateManifest(JumbfSamples.ManifestStore(1).Encode(), paddingLength: 10);
        using (var source = File.OpenRead(first))
        using (var target = File.Create(second))
            BmffRewriter.WriteC2paBox(source, target, replacement);

        Assert.Equal(FfmpegClips.FrameChecksums(input), FfmpegClips.FrameChecksums(second));
        Assert.Equal(new FileInfo(input).Length + replacement.Length, new FileInfo(second).Length);
        using var written = File.OpenRead(second);
        var layout = BmffLayout.Read(written);
        var c2pa = Assert.Single(layout.C2paBoxes);
        var content = C2paBmffBox.Parse(File.ReadAllBytes(second).AsMemory((int)c2pa.Offset, (int)c2pa.Size));
        Assert.Equal(10, content.PaddingLength);
        Assert.Equal("c2pa", JumbfReader.Read(content.Data).Label);
    }

    [Fact]
    public void GlobalSidxVariant_HoldsSidxAndMfraThatTheRewriteKeepsValid()
    {
        using var stream = File.OpenRead(clips.PathOf("sidx.mp4"));
        var layout = BmffLayout.Read(stream);

        Assert.Contains(layout.Boxes, box => box.Type == "sidx");
        Assert.Contains(layout.Boxes, box => box.Type == "mfra");
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Layout_DescribesTheFfmpegFile(string variant)
    {
        using var stream = File.OpenRead(clips.PathOf(variant));

        var layout = BmffLayout.Read(stream);
        var moov = layout.ReadMoov(stream)!;

        Assert.Equal(stream.Length, layout.Boxes[^1].End);
        Assert.Equal(variant == "mov", layout.IsQuickTime);
        Assert.Equal(variant.StartsWith("fragmented") || variant.StartsWith("sidx"), layout.IsFragmented);
        Assert.Equal(2, moov.Children.Count(child => child.Type == "trak"));
        int tables = moov.Descendants("stco").Count() + moov.Descendants("co64").Count();
        Assert.Equal(2, tables);
        if (variant == "faststart.mp4")
            Assert.True(layout.Moov!.Value.Offset < layout.Find("mdat")!.Value.Offset);
    }

    [Fact]
    public void ChunkOffsets_PointIntoMdat()
    {
        using var stream = File.OpenRead(clips.PathOf("mp4"));
        var layout = BmffLayout.Read(stream);
        var mdat = layout.Find("mdat")!.Value;
        var stco = layout.ReadMoov(stream)!.Descendants("stco").First();

        var offsets = BmffOffsetTables.ReadChunkOffsets("stco", ReadContent(stream, stco.Header));

        Assert.NotEmpty(offsets);
        Assert.All(offsets, offset => Assert.InRange(offset, mdat.ContentOffset, mdat.End - 1));
    }

    [Fact]
    public void FragmentedWithoutDefaultBaseMoof_HasBaseDataOffsetsThatArePatched()
    {
        var input = clips.PathOf("fragmented-base-offsets.mp4");
        var output = Path.Combine(clips.Folder, "patched-base.mp4");
        var box = C2paBmffBox.CreateManifest(JumbfSamples.ManifestStore().Encode());
        using (var source = File.OpenRead(input))
        using (var target = File.Create(output))
            BmffRewriter.WriteC2paBox(source, target, box);

        var before = BaseDataOffsets(input);
        var after = BaseDataOffsets(output);

        Assert.NotEmpty(before);
        Assert.Equal(before.Select(offset => offset + box.Length), after);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void MutatedFfmpegFile_OnlyRaisesBmffException(string variant)
    {
        var original = File.ReadAllBytes(clips.PathOf(variant));
        var mutator = new ByteMutator(variant.Length * 7919);
        var inputs = Enumerable.Range(0, 300).Select(_ => mutator.Mutate(original))
            .Concat(Enumerable.Range(0, original.Length / 97).Select(i => original[..(i * 97)]));

        foreach (var input in inputs)
        {
            var escaped = FuzzTargets.Bmff.Check(input);
            Assert.True(escaped is null, $"{escaped?.GetType().Name}: {escaped?.Message}");
        }
    }

    private static List<long> BaseDataOffsets(string path)
    {
        using var stream = File.OpenRead(path);
        var layout = BmffLayout.Read(stream);
        var offsets = new List<long>();
        foreach (var moof in layout.Boxes.Where(box => box.Type == "moof"))
        {
            foreach (var tfhd in BmffReader.ReadTree(stream, moof).Descendants("tfhd"))
            {
                if (BmffOffsetTables.ReadBaseDataOffset(ReadContent(stream, tfhd.Header)) is long offset)
                    offsets.Add(offset);
            }
        }
        return offsets;
    }

    private static byte[] ReadContent(Stream stream, BmffBoxHeader header) => BmffLayout.ReadContent(stream, header);
}
