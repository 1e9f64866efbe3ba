using Provenance.Generator.Backends;
using Provenance.Generator.Frames;
using Provenance.Generator.Procedural;

namespace Provenance.Generator.Tests.Procedural;

public sealed class ProceduralBackendTests
{
    private static GenerationRequest Small(string prompt, ulong seed = 1, double seconds = 0.5, int fps = 24, int width = 192, int height = 108) =>
        new(prompt, seed, width, height, fps, seconds);

    [Fact]
    public async Task SamePromptAndSeed_ProduceIdenticalBytes()
    {
        var request = Small("a red balloon over the ocean at sunset, slow pan right");
        var first = await FrameStatistics.HashClipAsync(new ProceduralBackend(), request);
        var second = await FrameStatistics.HashClipAsync(new ProceduralBackend(), request);
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task ThreadCount_DoesNotChangeTheBytes()
    {
        var request = Small("three birds over a snowy mountain, zoom in", width: 320, height: 180);
        var oneThread = await FrameStatistics.HashClipAsync(new ProceduralBackend(maxThreads: 1), request);
        var allThreads = await FrameStatistics.HashClipAsync(new ProceduralBackend(), request);
        Assert.Equal(oneThread, allThreads);
    }

    [Fact]
    public async Task DifferentSeeds_ProduceDifferentClips()
    {
        var a = await FrameStatistics.HashClipAsync(new ProceduralBackend(), Small("a quiet forest", seed: 1));
        var b = await FrameStatistics.HashClipAsync(new ProceduralBackend(), Small("a quiet forest", seed: 2));
        Assert.NotEqual(a, b);
    }

    [Fact]
    public async Task DifferentPrompts_ProduceDifferentClips()
    {
        var a = await FrameStatistics.HashClipAsync(new ProceduralBackend(), Small("an abstract dream"));
        var b = await FrameStatistics.HashClipAsync(new ProceduralBackend(), Small("an abstract dream."));
        Assert.NotEqual(a, b);
    }

    [Fact]
    public async Task ThemeWords_ChooseThePalette()
    {
        // Ocean scenes are blue (Cb above neutral), desert and fire scenes are warm (Cr above neutral).
        var ocean = (await FrameStatistics.CollectAsync(new ProceduralBackend(), Small("the ocean", seconds: 0.1)))[0];
        var fire = (await FrameStatistics.CollectAsync(new ProceduralBackend(), Small("a fire", seconds: 0.1)))[0];
        var luma = 192 * 108;
        var chroma = 96 * 54;
        var oceanU = FrameStatistics.Mean(ocean.AsSpan(luma, chroma));
        var fireU = FrameStatistics.Mean(fire.AsSpan(luma, chroma));
        var oceanV = FrameStatistics.Mean(ocean.AsSpan(luma + chroma, chroma));
        var fireV = FrameStatistics.Mean(fire.AsSpan(luma + chroma, chroma));
        Assert.True(oceanU > fireU + 10, $"ocean Cb {oceanU:F1} vs fire Cb {fireU:F1}");
        Assert.True(fireV > oceanV + 10, $"fire Cr {fireV:F1} vs ocean Cr {oceanV:F1}");
    }

    [Fact]
    public async Task NightLighting_IsDarkerThanBrightLighting()
    {
        var night = (await FrameStatistics.CollectAsync(new ProceduralBackend(), Small("a meadow, dark", seconds: 0.1)))[0];
        var day = (await FrameStatistics.CollectAsync(new ProceduralBackend(), Small("a meadow, bright", seconds: 0.1)))[0];
        var luma = 192 * 108;
        Assert.True(FrameStatistics.Mean(day.AsSpan(0, luma)) > FrameStatistics.Mean(night.AsSpan(0, luma)) + 15);
    }

    [Fact]
    public void PromptWords_AreRecognisedAsSceneElements()
    {
        var words = ProceduralBackend.RecognisedWords("two red balloons drifting over a desert at dusk, zoom in, foggy, with stars");
        Assert.Contains("balloons", words);
        Assert.Contains("desert", words);
        Assert.Contains("dusk", words);
        Assert.Contains("zoom in", words);
        Assert.Contains("foggy", words);
        Assert.Contains("stars", words);
        Assert.Contains("drifting", words);
    }

    [Fact]
    public async Task QuotedText_IsDrawnOnScreen()
    {
        var plain = (await FrameStatistics.CollectAsync(new ProceduralBackend(), Small("a calm lake, static", seconds: 1, width: 320, height: 180)))[^1];
        var titled = (await FrameStatistics.CollectAsync(new ProceduralBackend(), Small("a calm lake, static \"HELLO\"", seconds: 1, width: 320, height: 180)))[^1];
        Assert.DoesNotContain("hello", ProceduralBackend.RecognisedWords("a calm lake, static \"HELLO\""));
        // The text sits in the lower third: white ink (Y 235) and its dark outline appear there.
        var region = titled.AsSpan(320 * 140, 320 * 20).ToArray();
        var before = plain.AsSpan(320 * 140, 320 * 20).ToArray();
        Assert.True(region.Count(b => b == 235) > 100, "expected white glyph ink");
        Assert.True(region.Count(b => b == 16) > 100, "expected a dark outline");
        Assert.True(region.Count(b => b == 235) > before.Count(b => b == 235) + 100);
    }

    [Theory]
    [InlineData(24, 1.0, 24)]
    [InlineData(25, 0.4, 10)]
    [InlineData(30, 0.5, 15)]
    public async Task FrameCount_AndSize_FollowTheRequest(int fps, double seconds, int expectedFrames)
    {
        var request = new GenerationRequest("a planet in space", 3, 64, 36, fps, seconds);
        var count = 0;
        await foreach (var frame in new ProceduralBackend().GenerateAsync(request, FramePool.Shared, default))
        {
            using (frame)
            {
                Assert.Equal(64, frame.Width);
                Assert.Equal(36, frame.Height);
                Assert.Equal(count, frame.Index);
                Assert.Equal(64 * 36 * 3 / 2, frame.Data.Length);
                count++;
            }
        }
        Assert.Equal(expectedFrames, count);
    }

    [Fact]
    public async Task Frames_HaveNaturalImageTexture()
    {
        var frames = await FrameStatistics.CollectAsync(new ProceduralBackend(), Small("a misty forest", seconds: 0.1, width: 640, height: 360));
        var luma = frames[0].AsSpan(0, 640 * 360).ToArray();
        Assert.True(FrameStatistics.StandardDeviation(luma) > 8, "frame is nearly flat");
        // Sky (above the horizon) and ground each carry 1/f-like texture: slope of the power spectrum near -2.
        var slopes = new[] { 0, 104 }.Select(top => FrameStatistics.SpectralSlope(luma, 640, 192, top, 256)).ToArray();
        Assert.All(slopes, slope => Assert.True(slope is > -3.0 and < -1.6, $"spectral slopes {string.Join(", ", slopes.Select(v => v.ToString("F2")))}"));
        // Not flat colour: most 8x8 blocks vary inside.
        var textured = 0;
        var blocks = 0;
        for (var by = 0; by + 8 <= 360; by += 8)
        {
            for (var bx = 0; bx + 8 <= 640; bx += 8)
            {
                int min = 255, max = 0;
                for (var y = 0; y < 8; y++)
                {
                    for (var x = 0; x < 8; x++)
                    {
                        var v = luma[(by + y) * 640 + bx + x];
                        min = Math.Min(min, v);
                        max = Math.Max(max, v);
                    }
                }
                blocks++;
                textured += max - min >= 2 ? 1 : 0;
            }
        }
        Assert.True(textured > blocks * 0.6, $"{textured} of {blocks} blocks textured");
    }

    [Fact]
    public async Task CameraMotion_ChangesFramesOverTime()
    {
        var frames = await FrameStatistics.CollectAsync(new ProceduralBackend(), Small("a desert, pan left", seconds: 1));
        var luma = 192 * 108;
        var changed = 0;
        for (var i = 0; i < luma; i++)
        {
            changed += frames[0][i] != frames[^1][i] ? 1 : 0;
        }
        Assert.True(changed > luma / 2, $"only {changed} of {luma} pixels moved");
    }

    [Fact]
    public async Task Cancellation_StopsTheStream()
    {
        using var cts = new CancellationTokenSource();
        var count = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var frame in new ProceduralBackend().GenerateAsync(Small("rain", seconds: 2), FramePool.Shared, cts.Token))
            {
                frame.Dispose();
                if (++count == 3)
                {
                    await cts.CancelAsync();
                }
            }
        });
        Assert.Equal(3, count);
    }
}
