namespace Provenance.Watermark.Tests;

/// <summary>Frames that cannot carry or reveal a mark give a clear "not found", never a crash or a false hit.</summary>
public sealed class HostileInputTests
{
    private static readonly WatermarkKey Key = WatermarkKey.Parse("a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf");

    private static byte[] Noise(int w, int h, int seed)
    {
        var rng = new Random(seed);
        var b = new byte[w * h];
        rng.NextBytes(b);
        return b;
    }

    [Fact]
    public void TinyFrames_AreLeftUnmarked_AndReportedAsTooSmall()
    {
        var frame = Noise(64, 48, 1);
        var copy = (byte[])frame.Clone();
        new TiledWatermarkEmbedder(Key, 1).Embed(frame, 64, 48, 64, 0);
        Assert.Equal(copy, frame);

        var extractor = new TiledWatermarkExtractor(Key);
        extractor.Accumulate(frame, 64, 48, 64, 0, 0);
        var result = extractor.Result();
        Assert.False(result.Found);
        Assert.Equal(1, result.FramesUsed);
        Assert.Contains("too small", result.Note);
    }

    [Fact]
    public void NoFrames_IsNotFound_WithAReason()
    {
        var result = new TiledWatermarkExtractor(Key).Result();
        Assert.False(result.Found);
        Assert.Equal(0, result.FramesUsed);
        Assert.Equal(1.0, result.PValue);
        Assert.NotNull(result.Note);
    }

    [Fact]
    public void AllBlackFrames_AreNotFound_AndSayTheyAreFlat()
    {
        var extractor = new TiledWatermarkExtractor(Key);
        var black = new byte[320 * 180];
        for (var i = 0; i < 5; i++) extractor.Accumulate(black, 320, 180, 320, i, i / 8.0);
        var result = extractor.Result();
        Assert.False(result.Found);
        Assert.Equal(5, result.FramesUsed);
        Assert.Contains("flat", result.Note);
    }

    [Fact]
    public void SingleUnmarkedNoiseFrame_IsNotFound()
    {
        var extractor = new TiledWatermarkExtractor(Key);
        extractor.Accumulate(Noise(320, 180, 3), 320, 180, 320, 0, 0);
        var result = extractor.Result();
        Assert.False(result.Found);
        Assert.Equal(1, result.FramesUsed);
    }

    [Fact]
    public void SingleMarkedNoisyFrame_InMemory_IsFound()
    {
        // Moderate texture (σ ≈ 6) so the mask is fully open; one frame is enough without compression.
        var rng = new Random(5);
        var frame = new byte[640 * 360];
        for (var i = 0; i < frame.Length; i++) frame[i] = (byte)Math.Clamp(128 + (int)Math.Round(NextGaussian(rng) * 6), 0, 255);
        new TiledWatermarkEmbedder(Key, 0xfeedface).Embed(frame, 640, 360, 640, 0);
        var extractor = new TiledWatermarkExtractor(Key);
        extractor.Accumulate(frame, 640, 360, 640, 0, 0);
        var result = extractor.Result();
        Assert.True(result.Found, $"p={result.PValue:g3} sync={result.SyncScore:f2}");
        Assert.Equal(0xfeedfaceUL, result.Payload);
    }

    [Fact]
    public void FramesOfChangingSize_AreRejectedAsMisuse()
    {
        var extractor = new TiledWatermarkExtractor(Key);
        extractor.Accumulate(Noise(320, 180, 1), 320, 180, 320, 0, 0);
        Assert.Throws<ArgumentException>(() => extractor.Accumulate(Noise(160, 90, 1), 160, 90, 160, 1, 0.1));
    }

    [Fact]
    public void PlaneShorterThanItsGeometry_IsRejected()
    {
        var embedder = new TiledWatermarkEmbedder(Key, 1);
        Assert.Throws<ArgumentException>(() => embedder.Embed(new byte[100], 320, 180, 320, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => embedder.Embed(new byte[320 * 180], 320, 180, 100, 0));
    }

    [Fact]
    public void UnmarkedRandomContent_PValuesStayAboveTheThreshold()
    {
        // Empirical check of the p-value under "no mark": 12 independent noise-texture clips of 4 frames.
        var pValues = new List<double>();
        for (var clip = 0; clip < 12; clip++)
        {
            var extractor = new TiledWatermarkExtractor(WatermarkKey.Generate());
            for (var f = 0; f < 4; f++) extractor.Accumulate(Noise(320, 180, clip * 10 + f), 320, 180, 320, f, f / 8.0);
            var r = extractor.Result();
            Assert.False(r.Found);
            pValues.Add(r.PValue);
        }
        Assert.All(pValues, p => Assert.True(p > 1e-4, $"p={p:g3}"));
    }

    private static double NextGaussian(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
