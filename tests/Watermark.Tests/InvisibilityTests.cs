using Provenance.Watermark.Tests.Support;

namespace Provenance.Watermark.Tests;

public sealed class InvisibilityTests
{
    private static readonly WatermarkKey Key = WatermarkKey.Parse("c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00");

    /// <summary>Wraps an embedder and measures what it changes.</summary>
    private sealed class MeasuringEmbedder(IWatermarkEmbedder inner) : IWatermarkEmbedder
    {
        public double SquaredError { get; private set; }
        public long Pixels { get; private set; }
        public int MaxChange { get; private set; }

        public void Embed(Span<byte> luma, int width, int height, int stride, long frameIndex)
        {
            var before = luma[..(stride * (height - 1) + width)].ToArray();
            inner.Embed(luma, width, height, stride, frameIndex);
            for (var y = 0; y < height; y++)
                for (var x = 0; x < width; x++)
                {
                    var d = luma[y * stride + x] - before[y * stride + x];
                    SquaredError += d * d;
                    MaxChange = Math.Max(MaxChange, Math.Abs(d));
                }
            Pixels += (long)width * height;
        }

        public double Psnr => SquaredError == 0 ? double.PositiveInfinity : 10 * Math.Log10(255.0 * 255.0 * Pixels / SquaredError);
    }

    private static async Task<MeasuringEmbedder> MeasureAsync(string source, int width, int height)
    {
        var measuring = new MeasuringEmbedder(new TiledWatermarkEmbedder(Key, 0x1122334455667788));
        await ClipPipeline.TransformAsync(["-f", "lavfi", "-i", source, "-t", "1"], width, height, 30, measuring, ["-f", "null"], "-", CancellationToken.None);
        return measuring;
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

    [Theory]
    [InlineData("gradients=size=640x360:rate=30:speed=0.02:seed=1")]
    [InlineData("gradients=size=640x360:rate=30:speed=0.02:seed=2")]
    [InlineData("gradients=size=640x360:rate=30:speed=0.02:seed=3")]
    [InlineData("gradients=size=640x360:rate=30:speed=0.02:seed=4")]
    [InlineData("gradients=size=640x360:rate=30:speed=0.02:seed=5")]
    [InlineData("gradients=size=640x360:rate=30:speed=0.02:seed=6:type=radial")]
    [InlineData("gradients=size=640x360:rate=30:speed=0.02:seed=7:nb_colors=4")]
    [InlineData("color=c=0x808080:size=640x360:rate=30")]
    [InlineData("gradients=size=1920x1080:rate=30:speed=0.02:seed=2")]
    [InlineData("gradients=size=1920x1080:rate=30:speed=0.02:seed=7:nb_colors=4")]
    public async Task SmoothGradientsAndFlatAreas_AreLeftAlmostUntouched(string source)
    {
        var size = source.Contains("1920x1080", StringComparison.Ordinal) ? (W: 1920, H: 1080) : (W: 640, H: 360);
        var m = await MeasureAsync(source, size.W, size.H);
        Assert.True(m.Psnr >= 60.0, $"PSNR-Y {m.Psnr:f2} dB: the mask let the pattern into smooth areas");
        Assert.True(m.MaxChange <= 1, $"largest change {m.MaxChange}");
    }
}
