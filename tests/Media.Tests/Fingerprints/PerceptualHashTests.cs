using Provenance.Media.Fingerprints;
using Provenance.Testing;

namespace Provenance.Media.Tests.Fingerprints;

public sealed class PerceptualHashTests : IDisposable
{
    private readonly FfmpegRunner _runner = new();

    public void Dispose() => _runner.Dispose();

    /// <summary>The luma of the frame at <paramref name="index"/> of an ffmpeg test picture, decoded at the given size.</summary>
    private async Task<byte[]> LumaAsync(TestClipKind kind, int width, int height, int index = 12)
    {
        var clip = await TestClips.CreateAsync(kind, 640, 360, 1, 25);
        var options = new FrameSourceOptions { PixelFormat = RawPixelFormat.Gray, Width = width, Height = height };
        await foreach (var frame in new FrameSource(_runner).ReadFramesAsync(clip, options, CancellationToken.None))
        {
            using (frame)
            {
                if (frame.Index == index)
                {
                    return frame.Span.ToArray();
                }
            }
        }
        throw new InvalidOperationException($"frame {index} not decoded");
    }

    [Fact]
    public async Task SameFrameAtAnotherSize_HashesAlike()
    {
        var small = await LumaAsync(TestClipKind.Mandelbrot, 320, 180);
        var large = await LumaAsync(TestClipKind.Mandelbrot, 640, 360);
        var a = PerceptualHash.ComputeFromLuma(small, 320, 180, 320);
        var b = PerceptualHash.ComputeFromLuma(large, 640, 360, 640);
        Assert.True(PerceptualHash.Distance(a, b) <= 12, $"distance {PerceptualHash.Distance(a, b)}");
    }

    [Fact]
    public async Task BrightnessShiftAndNoise_FlipFewBits()
    {
        var luma = await LumaAsync(TestClipKind.TestSource2, 320, 180);
        var changed = luma.Select((v, i) => (byte)Math.Clamp(v + 12 + (i * 7919 % 9) - 4, 0, 255)).ToArray();
        var d = PerceptualHash.Distance(PerceptualHash.ComputeFromLuma(luma, 320, 180, 320), PerceptualHash.ComputeFromLuma(changed, 320, 180, 320));
        Assert.True(d <= 6, $"distance {d}");
    }

    [Fact]
    public async Task DifferentPictures_DifferInManyBits()
    {
        var a = PerceptualHash.ComputeFromLuma(await LumaAsync(TestClipKind.Mandelbrot, 320, 180), 320, 180, 320);
        var b = PerceptualHash.ComputeFromLuma(await LumaAsync(TestClipKind.TestSource2, 320, 180), 320, 180, 320);
        Assert.True(PerceptualHash.Distance(a, b) >= 16, $"distance {PerceptualHash.Distance(a, b)}");
    }

    [Fact]
    public void Distance_CountsDifferingBits()
    {
        Assert.Equal(0, PerceptualHash.Distance(0xdead_beef_0000_0001UL, 0xdead_beef_0000_0001UL));
        Assert.Equal(2, PerceptualHash.Distance(0b1011UL, 0b0001UL));
        Assert.Equal(1, PerceptualHash.Distance(1UL << 63, 0UL));
        Assert.Equal(64, PerceptualHash.Distance(0UL, ulong.MaxValue));
    }

    [Fact]
    public void WrongInputSize_IsRefused() =>
        Assert.Throws<ArgumentException>(() => PerceptualHash.Compute(new byte[100]));
}
