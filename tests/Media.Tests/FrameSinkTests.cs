using Provenance.Testing;

namespace Provenance.Media.Tests;

/// <summary>Encoding raw frames into H.264 MP4 files, and the decode-encode round trip.</summary>
public sealed class FrameSinkTests : IDisposable
{
    private readonly FfmpegRunner _runner = new();
    private readonly TempFolder _temp = new();

    public void Dispose()
    {
        _runner.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task RoundTrip_TenSeconds1080p_KeepsFrameCountAndSize()
    {
        var clip = await TestClips.CreateAsync(TestClipKind.TestSource2, 1920, 1080, 10, 25);
        var output = _temp.File("round trip 1080p.mp4");
        var source = new FrameSource(_runner);
        await using var reader = await source.OpenAsync(clip, new FrameSourceOptions(), CancellationToken.None);
        var sinkOptions = new FrameSinkOptions
        {
            Width = reader.Width,
            Height = reader.Height,
            FrameRate = reader.Probe.FrameRate,
            Encoder = VideoEncoders.Libx264,
            Preset = "ultrafast",
        };
        FrameSinkResult result;
        await using (var sink = await FrameSink.StartAsync(_runner, output, sinkOptions, null, CancellationToken.None))
        {
            while (await reader.ReadFrameAsync(CancellationToken.None) is { } frame)
            {
                using (frame)
                {
                    await sink.WriteFrameAsync(frame, CancellationToken.None);
                }
            }
            result = await sink.CompleteAsync(CancellationToken.None);
        }

        var probe = await new VideoProber(_runner).ProbeAsync(output, null, CancellationToken.None);
        Assert.Equal(250, reader.FramesRead);
        Assert.Equal(250, result.FramesWritten);
        Assert.Equal(250, probe.FrameCount);
        Assert.Equal(1920, probe.Width);
        Assert.Equal(1080, probe.Height);
        Assert.Equal(new Rational(25, 1), probe.FrameRate);
        Assert.Equal("h264", probe.Codec);
        Assert.Equal("yuv420p", probe.PixelFormat);
        Assert.Equal(VideoEncoders.Libx264, result.Encoder);
        Assert.Equal(output, result.Path);
        Assert.Single(Directory.GetFiles(_temp.Path));
    }

    [Fact]
    public async Task Encode_PutsTheMovieHeaderFirst()
    {
        var output = _temp.File("faststart.mp4");
        await EncodeGrayRampAsync(output, frames: 10);

        var boxes = TopLevelBoxes(await File.ReadAllBytesAsync(output));

        Assert.True(boxes.IndexOf("moov") < boxes.IndexOf("mdat"), string.Join(",", boxes));
    }

    [Fact]
    public async Task Encode_Rgb24Frames_ProducesTheirPicture()
    {
        var output = _temp.File("rgb.mp4");
        var options = new FrameSinkOptions { Width = 64, Height = 48, FrameRate = new Rational(10, 1), PixelFormat = RawPixelFormat.Rgb24, Encoder = VideoEncoders.Libx264, Quality = 10 };
        await using (var sink = await FrameSink.StartAsync(_runner, output, options, null, CancellationToken.None))
        {
            var frame = new byte[sink.FrameBytes];
            for (var i = 0; i < frame.Length; i += 3)
            {
                frame[i] = 200; // red
            }
            for (var n = 0; n < 5; n++)
            {
                await sink.WriteFrameAsync(frame, CancellationToken.None);
            }
            await sink.CompleteAsync(CancellationToken.None);
        }

        await using var reader = await new FrameSource(_runner).OpenAsync(output, new FrameSourceOptions { PixelFormat = RawPixelFormat.Rgb24 }, CancellationToken.None);
        using var decoded = await reader.ReadFrameAsync(CancellationToken.None);
        var pixel = decoded!.Span.Slice((24 * 64 + 32) * 3, 3).ToArray();
        Assert.InRange(pixel[0], 180, 220);
        Assert.InRange(pixel[1], 0, 20);
        Assert.InRange(pixel[2], 0, 20);
    }

    [Fact]
    public async Task Encode_WithAudioSource_CopiesTheAudioTrack()
    {
        var withAudio = await TestClips.CreateAsync(TestClipKind.SmpteHdBars, 160, 120, 2, 10, withAudio: true);
        var output = _temp.File("with audio.mp4");
        var options = new FrameSinkOptions { Width = 160, Height = 120, FrameRate = new Rational(10, 1), Encoder = VideoEncoders.Libx264, Preset = "ultrafast", AudioSourcePath = withAudio };

        await using (var sink = await FrameSink.StartAsync(_runner, output, options, null, CancellationToken.None))
        {
            var frame = new byte[sink.FrameBytes];
            for (var n = 0; n < 20; n++)
            {
                await sink.WriteFrameAsync(frame, CancellationToken.None);
            }
            await sink.CompleteAsync(CancellationToken.None);
        }

        var probe = await new VideoProber(_runner).ProbeAsync(output, null, CancellationToken.None);
        Assert.True(probe.HasAudio);
        Assert.Equal(20, probe.FrameCount);
    }

    [Fact]
    public async Task Encode_AbandonedWithoutComplete_LeavesNoFileAndNoProcess()
    {
        var output = _temp.File("abandoned.mp4");
        int pid;
        await using (var sink = await FrameSink.StartAsync(_runner, output, GrayOptions(), null, CancellationToken.None))
        {
            pid = sink.ProcessId;
            await sink.WriteFrameAsync(new byte[sink.FrameBytes], CancellationToken.None);
        }

        await ProcessAssert.GoneAsync(pid);
        Assert.Empty(Directory.GetFileSystemEntries(_temp.Path));
    }

    [Fact]
    public async Task Encode_CancelledWhileWriting_LeavesNoFileAndNoProcess()
    {
        var output = _temp.File("cancelled.mp4");
        using var cancel = new CancellationTokenSource();
        int pid;
        await using (var sink = await FrameSink.StartAsync(_runner, output, GrayOptions(), null, CancellationToken.None))
        {
            pid = sink.ProcessId;
            await sink.WriteFrameAsync(new byte[sink.FrameBytes], cancel.Token);
            cancel.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await sink.WriteFrameAsync(new byte[sink.FrameBytes], cancel.Token));
        }

        await ProcessAssert.GoneAsync(pid);
        Assert.Empty(Directory.GetFileSystemEntries(_temp.Path));
    }

    [Fact]
    public async Task Encode_FrameOfTheWrongSize_IsRefused()
    {
        await using var sink = await FrameSink.StartAsync(_runner, _temp.File("x.mp4"), GrayOptions(), null, CancellationToken.None);

        await Assert.ThrowsAsync<ArgumentException>(async () => await sink.WriteFrameAsync(new byte[sink.FrameBytes - 1], CancellationToken.None));
    }

    [Fact]
    public async Task Encode_ExistingDestination_IsReplacedOnlyOnCompletion()
    {
        var output = _temp.File("replace.mp4");
        await File.WriteAllTextAsync(output, "old content");
        await using (var sink = await FrameSink.StartAsync(_runner, output, GrayOptions(), null, CancellationToken.None))
        {
            await sink.WriteFrameAsync(new byte[sink.FrameBytes], CancellationToken.None);
            Assert.Equal("old content", await File.ReadAllTextAsync(output));
            await sink.CompleteAsync(CancellationToken.None);
        }

        var probe = await new VideoProber(_runner).ProbeAsync(output, null, CancellationToken.None);
        Assert.Equal(1, probe.FrameCount);
    }

    [Fact]
    public async Task Encode_IntoAMissingFolder_IsNotFound()
    {
        var error = await Assert.ThrowsAsync<MediaException>(() => FrameSink.StartAsync(_runner, _temp.File("no/such/folder/x.mp4"), GrayOptions(), null, CancellationToken.None));

        Assert.Equal(MediaErrorKind.NotFound, error.Kind);
    }

    [Fact]
    public async Task Encode_NvencAskedForWhereItDoesNotWork_IsUnsupported()
    {
        var withoutNvenc = new HardwareCapabilities { Available = true, NvencWorks = false, NvencProblem = "no GPU in this test" };
        var options = GrayOptions() with { Encoder = VideoEncoders.Nvenc };

        var error = await Assert.ThrowsAsync<MediaException>(() => FrameSink.StartAsync(_runner, _temp.File("x.mp4"), options, withoutNvenc, CancellationToken.None));

        Assert.Equal(MediaErrorKind.Unsupported, error.Kind);
        Assert.Contains("no GPU in this test", error.Message);
    }

    [Fact]
    public async Task Encode_WithDetectedCapabilities_UsesTheEncoderDetectionChose()
    {
        var capabilities = await HardwareCapabilities.DetectAsync(_runner, CancellationToken.None);
        var output = _temp.File("auto.mp4");
        FrameSinkResult result;
        await using (var sink = await FrameSink.StartAsync(_runner, output, GrayOptions(), capabilities, CancellationToken.None))
        {
            for (var n = 0; n < 5; n++)
            {
                await sink.WriteFrameAsync(new byte[sink.FrameBytes], CancellationToken.None);
            }
            result = await sink.CompleteAsync(CancellationToken.None);
        }

        Assert.Equal(capabilities.H264Encoder, result.Encoder);
        var probe = await new VideoProber(_runner).ProbeAsync(output, null, CancellationToken.None);
        Assert.Equal(5, probe.FrameCount);
    }

    [Fact]
    public async Task Encode_IntoAFolderWithSpacesAndNonAsciiCharacters_Works()
    {
        var folder = Directory.CreateDirectory(_temp.File("sortie vidéo 出力"));
        var output = Path.Combine(folder.FullName, "clip final (1).mp4");

        await EncodeGrayRampAsync(output, frames: 3);

        var probe = await new VideoProber(_runner).ProbeAsync(output, null, CancellationToken.None);
        Assert.Equal(3, probe.FrameCount);
        Assert.Single(Directory.GetFiles(folder.FullName));
    }

    [Fact]
    public async Task Encode_WithSettingsTheEncoderRejects_FailsWithItsMessageAndLeavesNothing()
    {
        var output = _temp.File("bad preset.mp4");
        var options = GrayOptions() with { Preset = "no-such-preset" };

        var error = await Assert.ThrowsAsync<MediaException>(async () =>
        {
            await using var sink = await FrameSink.StartAsync(_runner, output, options, null, CancellationToken.None);
            for (var n = 0; n < 50; n++)
            {
                await sink.WriteFrameAsync(new byte[sink.FrameBytes], CancellationToken.None);
            }
            await sink.CompleteAsync(CancellationToken.None);
        });

        Assert.Equal(MediaErrorKind.ToolFailed, error.Kind);
        Assert.Contains("no-such-preset", error.StderrTail);
        Assert.Empty(Directory.GetFileSystemEntries(_temp.Path));
        Assert.Empty(_runner.LiveProcessIds);
    }

    [Fact]
    public async Task Encode_WhoseDestinationBecameAFolder_FailsWithMediaExceptionAndCleansUp()
    {
        var output = _temp.File("taken.mp4");
        var error = await Assert.ThrowsAsync<MediaException>(async () =>
        {
            await using var sink = await FrameSink.StartAsync(_runner, output, GrayOptions(), null, CancellationToken.None);
            await sink.WriteFrameAsync(new byte[sink.FrameBytes], CancellationToken.None);
            Directory.CreateDirectory(output);
            await sink.CompleteAsync(CancellationToken.None);
        });

        Assert.Equal(MediaErrorKind.NotFound, error.Kind);
        Assert.Equal(new[] { output }, Directory.GetFileSystemEntries(_temp.Path));
    }

    private static FrameSinkOptions GrayOptions() => new()
    {
        Width = 128,
        Height = 96,
        FrameRate = new Rational(25, 1),
        PixelFormat = RawPixelFormat.Gray,
        Encoder = VideoEncoders.Libx264,
        Preset = "ultrafast",
    };

    private async Task EncodeGrayRampAsync(string output, int frames)
    {
        await using var sink = await FrameSink.StartAsync(_runner, output, GrayOptions(), null, CancellationToken.None);
        var frame = new byte[sink.FrameBytes];
        for (var n = 0; n < frames; n++)
        {
            for (var i = 0; i < frame.Length; i++)
            {
                frame[i] = (byte)(i + n * 3);
            }
            await sink.WriteFrameAsync(frame, CancellationToken.None);
        }
        await sink.CompleteAsync(CancellationToken.None);
    }

    private static List<string> TopLevelBoxes(byte[] file)
    {
        var boxes = new List<string>();
        long offset = 0;
        while (offset + 8 <= file.Length)
        {
            long size = (uint)(file[offset] << 24 | file[offset + 1] << 16 | file[offset + 2] << 8 | file[offset + 3]);
            boxes.Add(System.Text.Encoding.ASCII.GetString(file, (int)offset + 4, 4));
            if (size == 1)
            {
                size = (long)BitConverter.ToUInt64(file.AsSpan((int)offset + 8, 8).ToArray().Reverse().ToArray());
            }
            if (size < 8)
            {
                break;
            }
            offset += size;
        }
        return boxes;
    }
}
