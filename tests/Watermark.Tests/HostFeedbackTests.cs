using Provenance.Watermark.Tests.Support;

namespace Provenance.Watermark.Tests;

/// <summary>
/// Informed embedding on a still picture (a frame of Debian's opencv-doc street footage held for 3 s, the case of an
/// animated still or a static shot): the picture pushes the same cells the same way in every frame, so the extractor's
/// sum over frames cannot average it away. With the embedder's host feedback those cells must read better than with
/// the feedback off, at no more distortion; tuned by region, a centred crop of it reads more cells right than with one
/// tuning for the whole frame.
/// </summary>
public sealed class HostFeedbackTests
{
    private const string RealFootage = "/usr/share/doc/opencv-doc/examples/data/vtest.avi";
    private static readonly WatermarkKey Key = WatermarkKey.Parse("5e4d3c2b1a09f8e7d6c5b4a39281706f8d3c1b2a09f8e7d6c5b4a39281706f5e");

    public static TheoryData<ulong> Payloads => new() { 0x0123456789abcdef, 0xfedcba9876543210 };

    [Theory]
    [MemberData(nameof(Payloads))]
    public async Task StillPicture_WithFeedback_ReadsMoreCellsRightAtNoMoreDistortion(ulong payload)
    {
        if (!File.Exists(RealFootage)) Assert.Fail($"real footage missing: install Debian's opencv-doc ({RealFootage})");
        var folder = Path.Combine(Path.GetTempPath(), "wm-feedback-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var with = await MarkAndReadAsync(folder, payload, WatermarkOptions.Default with { FeedbackRegions = 1 });
            var regions = await MarkAndReadAsync(folder, payload, WatermarkOptions.Default);
            var without = await MarkAndReadAsync(folder, payload, WatermarkOptions.Default with { HostCancellation = 0 });
            var summary = $"with feedback: raw {with.Detection.RawBitAgreement:f3} z {with.Detection.SyncScore:f2} mark {with.Psnr:f2} dB; "
                + $"by region: raw {regions.Detection.RawBitAgreement:f3} z {regions.Detection.SyncScore:f2} mark {regions.Psnr:f2} dB; "
                + $"without: raw {without.Detection.RawBitAgreement:f3} z {without.Detection.SyncScore:f2} mark {without.Psnr:f2} dB";
            Console.WriteLine(summary);
            Assert.True(with.Detection.Found && with.Detection.Payload == payload, summary);
            Assert.True(with.Detection.RawBitAgreement >= without.Detection.RawBitAgreement + 0.04, summary);
            Assert.True(with.Detection.SyncScore >= without.Detection.SyncScore + 0.4, summary);
            Assert.True(with.Psnr >= without.Psnr - 0.2, summary);
            // Tuned by region (the default), the whole frame gives up some of that for crops, but never below no feedback.
            Assert.True(regions.Detection.Found && regions.Detection.Payload == payload, summary);
            Assert.True(regions.Detection.RawBitAgreement >= without.Detection.RawBitAgreement, summary);
            Assert.True(regions.Detection.SyncScore >= without.Detection.SyncScore + 0.2, summary);
            Assert.True(regions.Psnr >= without.Psnr - 0.2, summary);
        }
        finally { Directory.Delete(folder, true); }
    }

    /// <summary>A centred crop keeps only the middle of each tile's copies, whose push the whole-frame feedback did not
    /// cancel on its own. With the feedback tuned per region (centre, middle ring, outer ring) a 10 % crop per side keeps
    /// exactly the regions it shows, and their cancellation with them.</summary>
    [Fact]
    public async Task CentredCrop_OfAStill_ReadsMoreCellsRightWithRegionFeedback()
    {
        if (!File.Exists(RealFootage)) Assert.Fail($"real footage missing: install Debian's opencv-doc ({RealFootage})");
        const ulong payload = 0x0123456789abcdef;
        var folder = Path.Combine(Path.GetTempPath(), "wm-regions-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var regions = await MarkCropAndReadAsync(folder, payload, WatermarkOptions.Default with { FeedbackRegions = 2 });
            var whole = await MarkCropAndReadAsync(folder, payload, WatermarkOptions.Default with { FeedbackRegions = 1 });
            var summary = $"regions: found {regions.Found} raw {regions.RawBitAgreement:f3} z {regions.SyncScore:f2} scale {regions.Scale:f3}; "
                + $"whole frame: found {whole.Found} raw {whole.RawBitAgreement:f3} z {whole.SyncScore:f2} scale {whole.Scale:f3}";
            Console.WriteLine(summary);
            Assert.True(regions.Found && regions.Payload == payload, summary);
            Assert.InRange(regions.Scale, 0.77, 0.83);
            Assert.True(regions.RawBitAgreement >= whole.RawBitAgreement + 0.04, summary);
        }
        finally { Directory.Delete(folder, true); }
    }

    private static async Task<WatermarkDetection> MarkCropAndReadAsync(string folder, ulong payload, WatermarkOptions options)
    {
        var (marked, _) = await MarkStillAsync(folder, payload, options);
        var attack = WatermarkAttacks.Get("crop_10pct");
        var cropped = Path.Combine(folder, $"{Path.GetFileNameWithoutExtension(marked)}.crop.{attack.Extension}");
        await FfmpegCli.RunAsync("ffmpeg", ["-i", marked, .. attack.Arguments, "-an", "-y", cropped], CancellationToken.None);
        return await ClipPipeline.DetectAsync(cropped, new TiledWatermarkExtractor(Key, options), CancellationToken.None);
    }

    private static async Task<(WatermarkDetection Detection, double Psnr)> MarkAndReadAsync(string folder, ulong payload, WatermarkOptions options)
    {
        var (marked, psnr) = await MarkStillAsync(folder, payload, options);
        return (await ClipPipeline.DetectAsync(marked, new TiledWatermarkExtractor(Key, options), CancellationToken.None), psnr);
    }

    /// <summary>Marks the 3 s still (720p, x264 CRF 23); returns the file and the mark's PSNR against the unmarked frames.</summary>
    private static async Task<(string Path, double Psnr)> MarkStillAsync(string folder, ulong payload, WatermarkOptions options)
    {
        var measuring = new MeasuringEmbedder(new TiledWatermarkEmbedder(Key, payload, options));
        var marked = Path.Combine(folder, $"still-{options.HostCancellation}-{options.FeedbackRegions}.mp4");
        string[] still = ["-f", "lavfi", "-i", $"movie={RealFootage}:seek_point=2,loop=loop=-1:size=1,fps=24", "-t", "3"];
        await ClipPipeline.TransformAsync(still, 1280, 720, 24, measuring, MarkedClipsFixture.Encode, marked, CancellationToken.None);
        return (marked, measuring.Psnr);
    }

    /// <summary>The share of the push cancelled is the one that leaves each cell the largest margin for the mark's power:
    /// 1 / ((√(1 + λ²r²) − λ)·r), with r the push relative to the mark. Cancelling more than that loses margin, as a fixed
    /// λ of 1 did on moving real footage.</summary>
    [Theory]
    [InlineData(0.5)]
    [InlineData(0.9)]
    [InlineData(1.2)]
    [InlineData(2.0)]
    [InlineData(4.0)]
    public void Cancellation_MaximisesTheMarginBelowItsCap(double r)
    {
        static double Margin(double lambda, double r) => 1 / ((Math.Sqrt(1 + lambda * lambda * r * r) - lambda) * r);
        var lambda = HostFeedback.Cancellation(r * r, 10);
        Assert.InRange(lambda, 0, 10);
        foreach (var other in new[] { 0.0, lambda * 0.8, lambda * 1.25, 1.0 })
            Assert.True(Margin(lambda, r) >= Margin(other, r) - 1e-12, $"r {r}: λ {lambda:f3} margin {Margin(lambda, r):f3}, λ {other:f3} margin {Margin(other, r):f3}");
        Assert.True(Margin(lambda, r) > Margin(0, r), $"r {r}: cancelling gains nothing");
        Assert.Equal(Math.Min(lambda, 0.7), HostFeedback.Cancellation(r * r, 0.7), 12);
    }
}
