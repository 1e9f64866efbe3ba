using Provenance.Watermark.Tests.Support;

namespace Provenance.Watermark.Tests;

public sealed class InvisibilityTests
{
    private static readonly WatermarkKey Key = WatermarkKey.Parse("c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00");

    private static Task<MeasuringEmbedder> MeasureAsync(string source, int width, int height) =>
        MeasureAsync(["-f", "lavfi", "-i", source, "-t", "1"], width, height, WatermarkOptions.Default);

    private static async Task<MeasuringEmbedder> MeasureAsync(string[] input, int width, int height, WatermarkOptions options)
    {
        var measuring = new MeasuringEmbedder(new TiledWatermarkEmbedder(Key, 0x1122334455667788, options));
        await ClipPipeline.TransformAsync(input, width, height, 30, measuring, ["-f", "null"], "-", CancellationToken.None);
        return measuring;
    }

    private const string CgiFootage = "/usr/share/doc/opencv-doc/examples/data/Megamind.avi";

    /// <summary>Soft footage blown up to 1080p reads as flat at full resolution; the texture read at the pattern's own
    /// scale must bring it close to the mark it gets at 720p (without that reading it got 2-3 dB less and was not read).</summary>
    [Fact]
    public async Task SoftFootageUpscaledTo1080p_IsMarkedAboutAsMuchAsAt720p()
    {
        if (!File.Exists(CgiFootage)) Assert.Fail($"real footage missing: install Debian's opencv-doc ({CgiFootage})");
        string[] input = ["-t", "1", "-i", CgiFootage];
        var at720 = await MeasureAsync(input, 1280, 720, WatermarkOptions.Default);
        var at1080 = await MeasureAsync(input, 1920, 1080, WatermarkOptions.Default);
        var withoutRelative = await MeasureAsync(input, 1920, 1080, WatermarkOptions.Default with { FlatRelativeTexture = double.PositiveInfinity });
        Console.WriteLine($"Megamind mark alone: 720p {at720.Psnr:f2} dB, 1080p {at1080.Psnr:f2} dB, 1080p without the relative reading {withoutRelative.Psnr:f2} dB");
        Assert.True(at1080.Psnr - at720.Psnr <= 1.5, $"mark alone {at1080.Psnr:f2} dB at 1080p, {at720.Psnr:f2} dB at 720p");
        Assert.True(withoutRelative.Psnr - at1080.Psnr >= 1.0,
            $"without the relative-scale reading: {withoutRelative.Psnr:f2} dB at 1080p, {at720.Psnr:f2} dB at 720p (the footage no longer tells the readings apart)");
        Assert.True(at1080.Psnr >= 44.0, $"mark alone {at1080.Psnr:f2} dB is over the distortion budget");
    }

    [Theory]
    [InlineData("mandelbrot=size=640x360:rate=30")]
    [InlineData("testsrc2=size=640x360:rate=30,noise=alls=20:allf=t")]
    [InlineData("cellauto=size=640x360:rate=30:rule=110:scroll=1")]
    public async Task Mark_StaysWithinTheDistortionBudget(string source)
    {
        var m = await MeasureAsync(source, 640, 360);
        Assert.True(m.Psnr >= 44.0, $"PSNR-Y of the mark alone {m.Psnr:f2} dB");
        Assert.True(m.MaxChange <= 10, $"largest change {m.MaxChange}");
    }

    // Smooth sources are drawn by expression (ffmpeg's random `gradients` source is not reproducible from its seed).
    // The colour ones have steep ramps whose rounding to 8-bit luma leaves a ±1 pattern that reads like fine grain,
    // and ramps that run into the frame edges.
    [Theory]
    [InlineData("nullsrc=size=640x360:rate=30,format=gray,geq=lum='24+200*X/W+10*sin(T)'")]
    [InlineData("nullsrc=size=640x360:rate=30,format=gray,geq=lum='128+110*sin((X+Y)/60+T)'")]
    [InlineData("nullsrc=size=640x360:rate=30,format=gray,geq=lum='128+100*cos(hypot(X-W/2,Y-H/2)/45-T)'")]
    [InlineData("nullsrc=size=640x360:rate=30,format=gbrp,geq=r='128+100*sin(X/90+T)':g='128+100*cos(Y/70)':b='128+100*sin((X-Y)/110)'")]
    [InlineData("nullsrc=size=640x360:rate=30,format=gbrp,geq=r='128+127*sin((X+Y)/70+T)':g='128+127*sin((X+Y)/60+T)':b='128+127*sin((X+Y)/50+T)'")]
    [InlineData("nullsrc=size=640x360:rate=30,format=gbrp,geq=r='128+127*sin((X+Y)/60+T)':g='128+127*sin((X+Y)/50+T)':b='128+127*sin((X+Y)/40+T)'")]
    [InlineData("nullsrc=size=640x360:rate=30,format=gbrp,geq=r='128+127*sin((2*X+Y)/70+T)':g='128+127*sin((2*X+Y)/60+T)':b='128+127*sin((X+2*Y)/50+T)'")]
    [InlineData("color=c=0x808080:size=640x360:rate=30")]
    [InlineData("nullsrc=size=1920x1080:rate=30,format=gray,geq=lum='128+110*sin((2*X+Y)/150+T)'")]
    [InlineData("nullsrc=size=1920x1080:rate=30,format=gbrp,geq=r='128+127*sin((X+Y)/70+T)':g='128+127*sin((X+Y)/60+T)':b='128+127*sin((X+Y)/50+T)'")]
    // A hard diagonal edge between two smooth areas at 1080p: it reads as texture at the pattern's own scale as far as
    // that reading reaches, so the reading must be eroded that far.
    [InlineData("nullsrc=size=1920x1080:rate=30,format=gray,geq=lum='if(gt(X+Y*0.7,900),200,60)+20*sin(X/200)'")]
    public async Task SmoothGradientsAndFlatAreas_AreLeftAlmostUntouched(string source)
    {
        var size = System.Text.RegularExpressions.Regex.Match(source, @"size=(\d+)x(\d+)");
        var (width, height) = (int.Parse(size.Groups[1].Value), int.Parse(size.Groups[2].Value));
        var m = await MeasureAsync(source, width, height);
        Assert.True(m.Psnr >= 60.0, $"{width}x{height}: PSNR-Y {m.Psnr:f2} dB: the mask let the pattern into smooth areas");
        Assert.True(m.MaxChange <= 1, $"largest change {m.MaxChange}");
    }
}
