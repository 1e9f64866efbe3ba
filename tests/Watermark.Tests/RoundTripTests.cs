using Provenance.Watermark.Tests.Support;

namespace Provenance.Watermark.Tests;

public sealed class RoundTripTests(MarkedClipsFixture clips) : IClassFixture<MarkedClipsFixture>
{
    [Theory]
    [InlineData("grainy_mandelbrot")]
    [InlineData("grainy_testcard")]
    public async Task MarkedClip_AfterH264Crf23_YieldsPayloadWithTinyPValue(string kind)
    {
        var result = await ClipPipeline.DetectAsync(clips.Marked(kind), new TiledWatermarkExtractor(MarkedClipsFixture.Key), CancellationToken.None);

        Assert.True(result.Found, $"not found: p={result.PValue:g3} sync={result.SyncScore:f2} candidate={result.CandidatePayload:x16}");
        Assert.Equal(MarkedClipsFixture.Payload, result.Payload);
        Assert.Equal("0123456789abcdef", result.PayloadHex);
        Assert.True(result.PValue <= 1e-9);
        Assert.True(result.FramesUsed >= 20, $"frames used {result.FramesUsed}");
        Assert.InRange(result.Scale, 0.98, 1.02);
    }

    [Fact]
    public async Task MarkedClip_ReportsPerSegmentEvidenceAlongTheTimeline()
    {
        var result = await ClipPipeline.DetectAsync(clips.Marked("grainy_mandelbrot"), new TiledWatermarkExtractor(MarkedClipsFixture.Key), CancellationToken.None);

        Assert.Equal(2, result.Segments.Count); // 3 s in 2 s segments
        Assert.Equal(result.FramesUsed, result.Segments.Sum(s => s.Frames));
        Assert.True(result.Segments[0].EndSeconds <= result.Segments[1].StartSeconds);
        Assert.All(result.Segments, s => Assert.True(s.Score > 3, $"segment {s.StartSeconds}-{s.EndSeconds} score {s.Score:f2}"));
    }

    [Theory]
    [InlineData("crop_10pct")]
    [InlineData("brightness_+0.1")]
    [InlineData("contrast_0.6")]
    public async Task MarkedClip_UnderSuiteAttack_StillYieldsPayload(string attackName)
    {
        var attack = WatermarkAttacks.Get(attackName);
        var attacked = Path.Combine(clips.Folder, $"{attackName}.{attack.Extension}");
        await FfmpegCli.RunAsync("ffmpeg", ["-i", clips.Marked("grainy_mandelbrot"), .. attack.Arguments, "-an", "-y", attacked], CancellationToken.None);

        var result = await ClipPipeline.DetectAsync(attacked, new TiledWatermarkExtractor(MarkedClipsFixture.Key), CancellationToken.None);

        Assert.True(result.Found, $"{attackName}: p={result.PValue:g3} sync={result.SyncScore:f2}");
        Assert.Equal(MarkedClipsFixture.Payload, result.Payload);
        if (attackName == "crop_10pct") Assert.InRange(result.Scale, 0.77, 0.83);
        Assert.Equal(WatermarkOrientations.Upright, result.Orientation);
    }

    [Fact]
    public async Task MirroredCopy_IsReadAsMirrored_AndAnUprightOnlySearchMissesIt()
    {
        var attack = WatermarkAttacks.Get("hflip");
        var mirrored = Path.Combine(clips.Folder, $"mirrored.{attack.Extension}");
        await FfmpegCli.RunAsync("ffmpeg", ["-i", clips.Marked("grainy_mandelbrot"), .. attack.Arguments, "-an", "-y", mirrored], CancellationToken.None);

        var result = await ClipPipeline.DetectAsync(mirrored, new TiledWatermarkExtractor(MarkedClipsFixture.Key), CancellationToken.None);
        var uprightOnly = await ClipPipeline.DetectAsync(mirrored,
            new TiledWatermarkExtractor(MarkedClipsFixture.Key, new WatermarkOptions { SearchOrientations = WatermarkOrientations.Upright }),
            CancellationToken.None);

        Assert.True(result.Found, $"p={result.PValue:g3} sync={result.SyncScore:f2}");
        Assert.Equal(MarkedClipsFixture.Payload, result.Payload);
        Assert.Equal(WatermarkOrientations.Mirrored, result.Orientation);
        Assert.False(uprightOnly.Found, $"upright-only search read a mirrored copy: p={uprightOnly.PValue:g3}");
    }

    [Theory]
    [InlineData("hflip,vflip", WatermarkOrientations.UpsideDown)]
    [InlineData("vflip", WatermarkOrientations.MirroredUpsideDown)]
    [InlineData("transpose=clock", WatermarkOrientations.TurnedClockwise)]
    [InlineData("transpose=cclock", WatermarkOrientations.TurnedCounterclockwise)]
    [InlineData("transpose=cclock_flip", WatermarkOrientations.Transposed)]
    [InlineData("transpose=clock_flip", WatermarkOrientations.AntiTransposed)]
    public async Task TurnedCopy_IsReadWhereItsOrientationIsSearched(string filter, WatermarkOrientations expected)
    {
        var turned = Path.Combine(clips.Folder, $"turned_{expected}.mp4");
        await FfmpegCli.RunAsync("ffmpeg", ["-i", clips.Marked("grainy_mandelbrot"), "-vf", filter, "-c:v", "libx264", "-crf", "23",
            "-preset", "veryfast", "-an", "-y", turned], CancellationToken.None);

        // The quarter turns are in the default search; the 180° turn, vflip and the transposes only in All.
        var options = WatermarkOptions.Default.SearchOrientations.HasFlag(expected)
            ? WatermarkOptions.Default
            : new WatermarkOptions { SearchOrientations = WatermarkOrientations.All };
        var result = await ClipPipeline.DetectAsync(turned, new TiledWatermarkExtractor(MarkedClipsFixture.Key, options), CancellationToken.None);

        Assert.True(result.Found, $"p={result.PValue:g3} sync={result.SyncScore:f2} scale={result.Scale:f3} {result.Orientation}");
        Assert.Equal(MarkedClipsFixture.Payload, result.Payload);
        Assert.Equal(expected, result.Orientation);
    }

    [Fact]
    public async Task PortraitClip_IsAnalysedByItsShorterSide_AndRead()
    {
        // A portrait frame is analysed at 360 x 640, not squeezed to 203 x 360 by its height: on this test card the
        // height-bound analysis missed the mark (z 5.0) where the shorter side reads it (z 7.5).
        const int width = 360, height = 640;
        var marked = Path.Combine(clips.Folder, "portrait.marked.mp4");
        string[] input = ["-f", "lavfi", "-i", $"testsrc2=size={width}x{height}:rate=30,noise=alls=8:allf=t", "-t", "3"];
        await ClipPipeline.TransformAsync(input, width, height, 30, new TiledWatermarkEmbedder(MarkedClipsFixture.Key, MarkedClipsFixture.Payload),
            MarkedClipsFixture.Encode, marked, CancellationToken.None);
        var extractor = new TiledWatermarkExtractor(MarkedClipsFixture.Key);

        var result = await ClipPipeline.DetectAsync(marked, extractor, CancellationToken.None);

        Assert.Equal((width, height), extractor.PreferredAnalysis.FrameSize(width, height));
        Assert.True(result.Found, $"p={result.PValue:g3} sync={result.SyncScore:f2}");
        Assert.Equal(MarkedClipsFixture.Payload, result.Payload);
        Assert.Equal(WatermarkOrientations.Upright, result.Orientation);
        Assert.InRange(result.Scale, 0.98, 1.02);
    }

    [Fact]
    public async Task MarkedClip_ReadWithAnotherKey_IsNotFound()
    {
        var result = await ClipPipeline.DetectAsync(clips.Marked("grainy_mandelbrot"), new TiledWatermarkExtractor(WatermarkKey.Generate()), CancellationToken.None);

        Assert.False(result.Found);
        Assert.Null(result.Payload);
        Assert.True(result.PValue > 1e-6, $"p={result.PValue:g3}");
    }

    [Fact]
    public async Task UnmarkedEncodeOfTheSameContent_IsNotFound()
    {
        var result = await ClipPipeline.DetectAsync(clips.Plain("grainy_mandelbrot"), new TiledWatermarkExtractor(MarkedClipsFixture.Key), CancellationToken.None);

        Assert.False(result.Found);
        Assert.Null(result.PayloadHex);
        Assert.True(result.PValue > 1e-6, $"p={result.PValue:g3}");
    }
}
