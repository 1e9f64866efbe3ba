using Provenance.Testing;

namespace Provenance.Media.Tests;

/// <summary>Decoding real clips to raw frames over a pipe.</summary>
public sealed class FrameSourceTests : IDisposable
{
    private readonly FfmpegRunner _runner = new();
    private readonly TempFolder _temp = new();

    public void Dispose()
    {
        _runner.Dispose();
        _temp.Dispose();
    }

    private FrameSource Source => new(_runner);

    private static async Task<List<(long Index, TimeSpan Time, int Length, byte[] Head)>> ReadAllAsync(FrameSource source, string path, FrameSourceOptions options)
    {
        var frames = new List<(long, TimeSpan, int, byte[])>();
        await foreach (var frame in source.ReadFramesAsync(path, options, CancellationToken.None))
        {
            using (frame)
            {
                frames.Add((frame.Index, frame.Timestamp, frame.Length, frame.Span[..16].ToArray()));
            }
        }
        return frames;
    }

    [Theory]
    [InlineData(RawPixelFormat.Yuv420p, 320 * 240 * 3 / 2)]
    [InlineData(RawPixelFormat.Gray, 320 * 240)]
    [InlineData(RawPixelFormat.Rgb24, 320 * 240 * 3)]
    public async Task Read_EveryFrameOnce_InTheRequestedFormat(RawPixelFormat format, int expectedBytes)
    {
        var clip = await TestClips.CreateAsync(TestClipKind.TestSource2, 320, 240, 2, 25);

        var frames = await ReadAllAsync(Source, clip, new FrameSourceOptions { PixelFormat = format });

        Assert.Equal(50, frames.Count);
        Assert.All(frames, f => Assert.Equal(expectedBytes, f.Length));
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i), frames.Select(f => f.Index));
        Assert.Equal(TimeSpan.FromSeconds(1), frames[25].Time);
    }

    [Fact]
    public async Task Read_GrayFrames_CarryThePictureNotNoise()
    {
        // SMPTE bars: the top-left bar is 40% grey, the top-right area is different.
        var clip = await TestClips.CreateAsync(TestClipKind.SmpteHdBars, 320, 240, 1, 10);
        await using var reader = await Source.OpenAsync(clip, new FrameSourceOptions { PixelFormat = RawPixelFormat.Gray }, CancellationToken.None);
        using var frame = await reader.ReadFrameAsync(CancellationToken.None);

        Assert.NotNull(frame);
        var plane = frame!.Plane0;
        var topLeft = plane[10 * 320 + 5];
        var distinct = new HashSet<byte>();
        for (var x = 0; x < 320; x += 4)
        {
            distinct.Add(plane[20 * 320 + x]);
        }
        Assert.InRange(topLeft, 80, 130);
        Assert.True(distinct.Count >= 5, $"a row of colour bars should have several grey levels, got {distinct.Count}");
    }

    [Fact]
    public async Task Read_WithSizeAndSamplingRate_ScalesAndDropsFrames()
    {
        var clip = await TestClips.CreateAsync(TestClipKind.TestSource2, 320, 240, 2, 25);
        var options = new FrameSourceOptions { Width = 160, SampleRate = 5, PixelFormat = RawPixelFormat.Rgb24 };

        await using var reader = await Source.OpenAsync(clip, options, CancellationToken.None);
        var count = 0;
        var times = new List<TimeSpan>();
        while (await reader.ReadFrameAsync(CancellationToken.None) is { } frame)
        {
            using (frame)
            {
                Assert.Equal(160, frame.Width);
                Assert.Equal(120, frame.Height);
                times.Add(frame.Timestamp);
                count++;
            }
        }

        Assert.Equal(160, reader.Width);
        Assert.Equal(120, reader.Height);
        Assert.Equal(10, count);
        Assert.Equal(TimeSpan.FromMilliseconds(200), times[1]);
    }

    [Fact]
    public async Task Read_StartAndDuration_DecodeOnlyThatRange()
    {
        var clip = await TestClips.CreateAsync(TestClipKind.TestSource2, 320, 240, 2, 25);

        var frames = await ReadAllAsync(Source, clip, new FrameSourceOptions { Start = TimeSpan.FromSeconds(1), Duration = TimeSpan.FromSeconds(0.4), PixelFormat = RawPixelFormat.Gray });

        Assert.Equal(10, frames.Count);
        Assert.Equal(TimeSpan.FromSeconds(1), frames[0].Time);
    }

    [Fact]
    public async Task Read_MaxFrames_StopsThere()
    {
        var clip = await TestClips.CreateAsync(TestClipKind.TestSource2, 320, 240, 2, 25);

        var frames = await ReadAllAsync(Source, clip, new FrameSourceOptions { MaxFrames = 7, PixelFormat = RawPixelFormat.Gray });

        Assert.Equal(7, frames.Count);
    }

    [Fact]
    public async Task Read_IntoTheCallersBuffer_FillsExactlyOneFrame()
    {
        var clip = await TestClips.CreateAsync(TestClipKind.TestSource2, 320, 240, 2, 25);
        await using var reader = await Source.OpenAsync(clip, new FrameSourceOptions(), CancellationToken.None);
        var buffer = new byte[reader.FrameBytes + 10];
        buffer.AsSpan().Fill(0xEE);
        long frames = 0;

        while (await reader.ReadFrameAsync(buffer, CancellationToken.None))
        {
            frames++;
        }

        Assert.Equal(50, frames);
        Assert.Equal(50, reader.FramesRead);
        Assert.All(buffer[^10..], b => Assert.Equal(0xEE, b));
        await Assert.ThrowsAsync<ArgumentException>(async () => await reader.ReadFrameAsync(new byte[10], CancellationToken.None));
    }

    [Fact]
    public async Task Read_RotatedClip_HandsOutUprightFrames()
    {
        var clip = await TestClips.CreateAsync(TestClipKind.SmpteHdBars, 320, 240, 1, 10);
        var rotated = await TestClips.RenderWithAsync("rotated-90.mp4", ["-i", clip, "-c", "copy", "-metadata:s:v", "rotate=90"]);

        await using var reader = await Source.OpenAsync(rotated, new FrameSourceOptions { PixelFormat = RawPixelFormat.Gray }, CancellationToken.None);
        using var frame = await reader.ReadFrameAsync(CancellationToken.None);

        Assert.Equal(240, reader.Width);
        Assert.Equal(320, reader.Height);
        Assert.Equal(240 * 320, frame!.Length);
    }

    [Fact]
    public async Task Read_TruncatedFaststartMp4_FailsAsCorrupt()
    {
        var clip = await TestClips.CreateAsync(TestClipKind.TestSource2, 320, 240, 2, 25);
        var truncated = _temp.File("truncated fast.mp4");
        var bytes = await File.ReadAllBytesAsync(clip);
        await File.WriteAllBytesAsync(truncated, bytes[..(bytes.Length * 2 / 3)]);

        var error = await Assert.ThrowsAsync<MediaException>(() => ReadAllAsync(Source, truncated, new FrameSourceOptions { PixelFormat = RawPixelFormat.Gray }));

        Assert.Equal(MediaErrorKind.Corrupt, error.Kind);
        Assert.False(string.IsNullOrWhiteSpace(error.StderrTail));
        Assert.Empty(_runner.LiveProcessIds);
    }

    [Fact]
    public async Task Read_TruncatedMp4WithErrorsTolerated_HandsOutTheFramesThatDecode()
    {
        var clip = await TestClips.CreateAsync(TestClipKind.TestSource2, 320, 240, 2, 25);
        var truncated = _temp.File("truncated.mp4");
        var bytes = await File.ReadAllBytesAsync(clip);
        await File.WriteAllBytesAsync(truncated, bytes[..(bytes.Length * 2 / 3)]);

        var frames = await ReadAllAsync(Source, truncated, new FrameSourceOptions { PixelFormat = RawPixelFormat.Gray, TolerateDecodeErrors = true });

        Assert.InRange(frames.Count, 10, 49);
    }

    [Fact]
    public async Task Read_NonVideo_FailsBeforeDecoding()
    {
        var text = _temp.File("not a video.mp4");
        await File.WriteAllTextAsync(text, "plain text");

        var error = await Assert.ThrowsAsync<MediaException>(() => ReadAllAsync(Source, text, new FrameSourceOptions()));

        Assert.Equal(MediaErrorKind.NotAVideo, error.Kind);
    }

    [Fact]
    public async Task Read_MissingFile_IsNotFound()
    {
        var error = await Assert.ThrowsAsync<MediaException>(() => ReadAllAsync(Source, _temp.File("gone.mp4"), new FrameSourceOptions()));

        Assert.Equal(MediaErrorKind.NotFound, error.Kind);
    }

    [Fact]
    public async Task Read_PathWithSpacesAndNonAsciiCharacters_Works()
    {
        var clip = await TestClips.CreateAsync(TestClipKind.SmpteHdBars, 160, 120, 1, 10);
        var odd = _temp.File("vidéo d'été 動画 #1.mp4");
        File.Copy(clip, odd);

        var frames = await ReadAllAsync(Source, odd, new FrameSourceOptions { PixelFormat = RawPixelFormat.Gray });

        Assert.Equal(10, frames.Count);
    }

    [Fact]
    public async Task Read_MoreFramesThanTheLimitAllows_StopsWithLimitExceeded()
    {
        // The probe's estimate (50 frames) passes; resampling to 100 fps yields 200, over the limit of 100.
        var clip = await TestClips.CreateAsync(TestClipKind.TestSource2, 320, 240, 2, 25);
        var options = new FrameSourceOptions { PixelFormat = RawPixelFormat.Gray, SampleRate = 100, Limits = new MediaLimits { MaxFrames = 100 } };

        var error = await Assert.ThrowsAsync<MediaException>(() => ReadAllAsync(Source, clip, options));

        Assert.Equal(MediaErrorKind.LimitExceeded, error.Kind);
        Assert.Empty(_runner.LiveProcessIds);
    }

    [Fact]
    public async Task Read_StreamThatChangesResolution_KeepsEveryFrameAtTheProbedSize()
    {
        var small = await TestClips.RenderWithAsync("switch-small.ts", ["-f", "lavfi", "-i", "testsrc2=s=320x240:r=25:d=1", "-c:v", "libx264", "-preset", "ultrafast"]);
        var large = await TestClips.RenderWithAsync("switch-large.ts", ["-f", "lavfi", "-i", "testsrc2=s=640x360:r=25:d=1", "-c:v", "libx264", "-preset", "ultrafast"]);
        var switching = _temp.File("switching.ts");
        await File.WriteAllBytesAsync(switching, [.. await File.ReadAllBytesAsync(small), .. await File.ReadAllBytesAsync(large)]);

        // Joining two transport streams breaks packet continuity at the seam, which strict decoding would refuse.
        var frames = await ReadAllAsync(Source, switching, new FrameSourceOptions { PixelFormat = RawPixelFormat.Gray, TolerateDecodeErrors = true });

        Assert.Equal(50, frames.Count);
        Assert.All(frames, f => Assert.Equal(320 * 240, f.Length));
    }

    [Fact]
    public async Task Read_Mp4CutShortAfterAnIntactHeader_FailsAsCorruptEvenThoughFfmpegExitsCleanly()
    {
        // +faststart puts the movie header first: cutting the media data leaves a header that promises more
        // frames than exist. ffmpeg exits 0 after logging "partial file"; strict decoding must not pass that off as the end.
        var clip = await TestClips.CreateAsync(TestClipKind.TestSource2, 192, 108, 1, 10, withAudio: true);
        var bytes = await File.ReadAllBytesAsync(clip);
        var truncated = _temp.File("cut.mp4");
        await File.WriteAllBytesAsync(truncated, bytes[..(bytes.Length * 4 / 10)]);

        var error = await Assert.ThrowsAsync<MediaException>(() => ReadAllAsync(Source, truncated, new FrameSourceOptions { PixelFormat = RawPixelFormat.Gray }));

        Assert.Equal(MediaErrorKind.Corrupt, error.Kind);
    }

    [Fact]
    public async Task Read_Yuv420pOfOddSize_SplitsIntoPlanesWithRoundedUpChroma()
    {
        var clip = await TestClips.CreateAsync(TestClipKind.SmpteHdBars, 320, 240, 1, 10);
        await using var reader = await Source.OpenAsync(clip, new FrameSourceOptions { Width = 161, Height = 121 }, CancellationToken.None);
        using var frame = await reader.ReadFrameAsync(CancellationToken.None);

        Assert.Equal(161 * 121 + 2 * 81 * 61, frame!.Length);
        Assert.Equal(161 * 121, frame.Plane(0).Length);
        Assert.Equal(81 * 61, frame.Plane(1).Length);
        Assert.Equal(81 * 61, frame.Plane(2).Length);
        Assert.Equal(81, frame.Stride(1));
        // The bars are coloured, so the chroma planes are not flat mid-grey.
        Assert.Contains(frame.Plane(1).ToArray(), b => Math.Abs(b - 128) > 30);
        Assert.Throws<ArgumentOutOfRangeException>(() => frame.Plane(3).Length);
    }
}
