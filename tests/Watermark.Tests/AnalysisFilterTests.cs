namespace Provenance.Watermark.Tests;

/// <summary>
/// The extractor's per-frame filters (area downscale, box mean) against plain direct definitions computed in double on
/// random planes: odd sizes, SIMD tails, windows reaching past every border.
/// </summary>
public sealed class AnalysisFilterTests
{
    public static TheoryData<int, int, int> BoxMeanCases => new()
    {
        { 1, 1, 0 }, { 1, 1, 3 }, { 7, 1, 2 }, { 1, 9, 2 }, { 5, 3, 1 }, { 5, 3, 7 }, { 17, 33, 4 },
        { 33, 17, 16 }, { 101, 57, 5 }, { 641, 361, 4 }, { 640, 360, 0 }, { 45, 70, 40 },
    };

    [Theory]
    [MemberData(nameof(BoxMeanCases))]
    public void BoxMean_EqualsTheDirectWindowMean_ClampedAtTheBorders(int width, int height, int radius)
    {
        var rng = new Random(width * 7919 + height * 131 + radius);
        var filter = new BoxMeanFilter(width, height, radius);
        // Pixel values, signed residuals and squared residuals: the three kinds of plane the extractor filters.
        foreach (var (low, high) in new[] { (0.0, 255.0), (-120.0, 120.0), (0.0, 65025.0) })
        {
            var src = RandomPlane(rng, width * height, low, high);
            var dst = new float[width * height];
            filter.Apply(src, dst);
            var expected = DirectBoxMean(src, width, height, radius);
            var tolerance = 2e-6 * Math.Max(Math.Abs(low), Math.Abs(high));
            for (var i = 0; i < dst.Length; i++)
                Assert.True(Math.Abs(dst[i] - expected[i]) <= tolerance,
                    $"pixel ({i % width},{i / width}) of {width}x{height} r {radius}: {dst[i]} vs {expected[i]}");
        }
    }

    [Fact]
    public void BoxMean_CalledAgainOnAnotherPlane_KeepsNothingFromTheFirst()
    {
        const int w = 37, h = 23, r = 3;
        var rng = new Random(3);
        var filter = new BoxMeanFilter(w, h, r);
        var first = RandomPlane(rng, w * h, 0, 255);
        var second = RandomPlane(rng, w * h, 0, 255);
        var dst = new float[w * h];
        filter.Apply(first, dst);
        filter.Apply(second, dst);
        var fresh = new float[w * h];
        new BoxMeanFilter(w, h, r).Apply(second, fresh);
        Assert.Equal(fresh, dst);
    }

    [Theory]
    [InlineData(1920, 1080, 640, 360)] // landscape: the height is the shorter side
    [InlineData(1080, 1920, 360, 640)] // portrait: the width is, so it keeps as much detail as landscape
    [InlineData(1440, 1080, 480, 360)]
    [InlineData(400, 380, 400, 380)] // within 15 % of the analysis side: analysed as it is
    [InlineData(200, 640, 200, 640)]
    public void AnalysisSize_ScalesTheShorterSide(int width, int height, int analysedWidth, int analysedHeight)
    {
        Assert.Equal((analysedWidth, analysedHeight), EvidenceFilter.AnalysisSize(width, height, WatermarkOptions.Default));
    }

    [Theory]
    [InlineData(1920, 1080, 640, 360)]
    [InlineData(1080, 1920, 360, 640)]
    [InlineData(720, 1280, 360, 640)]
    [InlineData(1366, 768, 640, 360)] // 640.3 rounds to an even side
    [InlineData(320, 240, 320, 240)] // no larger than the analysis side: decoded as it is
    public void DecodeSize_ScalesTheShorterSideToEvenSides(int width, int height, int decodedWidth, int decodedHeight)
    {
        Assert.Equal((decodedWidth, decodedHeight), new TiledWatermarkExtractor(WatermarkKey.Generate()).PreferredAnalysis.FrameSize(width, height));
    }

    public static TheoryData<int, int, int, int, int> ResampleCases => new()
    {
        { 640, 360, 640, 640, 360 }, { 33, 21, 40, 33, 21 }, { 1280, 720, 1280, 640, 360 }, { 1920, 1080, 1920, 640, 360 },
        { 997, 561, 1001, 640, 360 }, { 123, 417, 130, 106, 360 }, { 50, 31, 50, 17, 5 }, { 7, 5, 9, 1, 1 },
    };

    [Theory]
    [MemberData(nameof(ResampleCases))]
    public void AreaResample_EqualsTheCoveredAreaMean(int width, int height, int stride, int outWidth, int outHeight)
    {
        var rng = new Random(width * 31 + height + outWidth);
        var src = new byte[stride * height];
        rng.NextBytes(src);
        var dst = new float[outWidth * outHeight];
        new AreaResampler(width, height, outWidth, outHeight).Apply(src, stride, dst);
        var expected = DirectAreaMean(src, width, height, stride, outWidth, outHeight);
        for (var i = 0; i < dst.Length; i++)
            Assert.True(Math.Abs(dst[i] - expected[i]) <= 2e-4,
                $"pixel ({i % outWidth},{i / outWidth}) of {width}x{height} -> {outWidth}x{outHeight}: {dst[i]} vs {expected[i]}");
    }

    private static float[] RandomPlane(Random rng, int n, double low, double high)
    {
        var plane = new float[n];
        for (var i = 0; i < n; i++) plane[i] = (float)(low + rng.NextDouble() * (high - low));
        return plane;
    }

    /// <summary>Mean of the pixels of the (2r+1)² window that lie inside the plane, summed directly.</summary>
    private static double[] DirectBoxMean(float[] src, int w, int h, int r)
    {
        var result = new double[w * h];
        for (var y = 0; y < h; y++)
            for (var x = 0; x < w; x++)
            {
                double sum = 0; var count = 0;
                for (var v = Math.Max(0, y - r); v <= Math.Min(h - 1, y + r); v++)
                    for (var u = Math.Max(0, x - r); u <= Math.Min(w - 1, x + r); u++) { sum += src[v * w + u]; count++; }
                result[y * w + x] = sum / count;
            }
        return result;
    }

    /// <summary>Mean of the input over the rectangle an output pixel covers (input pixel i spans [i, i + 1)), each input
    /// pixel weighted by the area of it that lies inside.</summary>
    private static double[] DirectAreaMean(byte[] src, int w, int h, int stride, int ow, int oh)
    {
        double sx = (double)w / ow, sy = (double)h / oh;
        var result = new double[ow * oh];
        for (var oy = 0; oy < oh; oy++)
            for (var ox = 0; ox < ow; ox++)
            {
                double x0 = ox * sx, x1 = (ox + 1) * sx, y0 = oy * sy, y1 = (oy + 1) * sy;
                double sum = 0, area = 0;
                for (var y = (int)Math.Floor(y0); y < Math.Min(h, (int)Math.Ceiling(y1)); y++)
                    for (var x = (int)Math.Floor(x0); x < Math.Min(w, (int)Math.Ceiling(x1)); x++)
                    {
                        var cover = Math.Max(0, Math.Min(x1, x + 1) - Math.Max(x0, x)) * Math.Max(0, Math.Min(y1, y + 1) - Math.Max(y0, y));
                        sum += src[y * stride + x] * cover; area += cover;
                    }
                result[oy * ow + ox] = sum / area;
            }
        return result;
    }
}
