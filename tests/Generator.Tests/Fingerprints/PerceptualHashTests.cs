using Provenance.Generator.Backends;
using Provenance.Generator.Fingerprints;
using Provenance.Generator.Procedural;
using Provenance.Generator.Tests.Procedural;

namespace Provenance.Generator.Tests.Fingerprints;

public sealed class PerceptualHashTests
{
    private static async Task<byte[]> LumaAsync(string prompt, int width = 320, int height = 180)
    {
        var frames = await FrameStatistics.CollectAsync(new ProceduralBackend(), new GenerationRequest(prompt, 4, width, height, 24, 0.05));
        return frames[0][..(width * height)];
    }

    [Fact]
    public async Task SameFrameAtAnotherSize_HashesAlike()
    {
        var small = await LumaAsync("a forest at dawn", 320, 180);
        var large = await LumaAsync("a forest at dawn", 640, 360);
        var a = PerceptualHash.ComputeFromLuma(small, 320, 180, 320);
        var b = PerceptualHash.ComputeFromLuma(large, 640, 360, 640);
        Assert.True(PerceptualHash.Distance(a, b) <= 12, $"distance {PerceptualHash.Distance(a, b)}");
    }

    [Fact]
    public async Task BrightnessShiftAndNoise_FlipFewBits()
    {
        var luma = await LumaAsync("a desert with a sun");
        var changed = luma.Select((v, i) => (byte)Math.Clamp(v + 12 + (i * 7919 % 9) - 4, 0, 255)).ToArray();
        var d = PerceptualHash.Distance(PerceptualHash.ComputeFromLuma(luma, 320, 180, 320), PerceptualHash.ComputeFromLuma(changed, 320, 180, 320));
        Assert.True(d <= 6, $"distance {d}");
    }

    [Fact]
    public async Task DifferentScenes_DifferInManyBits()
    {
        var a = PerceptualHash.ComputeFromLuma(await LumaAsync("a desert with a sun"), 320, 180, 320);
        var b = PerceptualHash.ComputeFromLuma(await LumaAsync("three balloons over a city at night"), 320, 180, 320);
        Assert.True(PerceptualHash.Distance(a, b) >= 16, $"distance {PerceptualHash.Distance(a, b)}");
    }

    [Fact]
    public void WrongInputSize_IsRefused() =>
        Assert.Throws<ArgumentException>(() => PerceptualHash.Compute(new byte[100]));
}
