using Provenance.Testing;

namespace Provenance.Media.Tests;

/// <summary>Probing real files with the installed ffprobe, including every kind of bad input.</summary>
public sealed class VideoProberTests : IDisposable
{
    private readonly FfmpegRunner _runner = new();
    private readonly TempFolder _temp = new();

    public void Dispose()
    {
        _runner.Dispose();
        _temp.Dispose();
    }

    private VideoProber Prober => new(_runner);

    [Fact]
    public async Task Probe_TestClipWithAudio_ReportsSizeRateFramesAndAudio()
    {
        var clip = await TestClips.CreateAsync(TestClipKind.TestSource2, 320, 240, 2, 25, withAudio: true);

        var probe = await Prober.ProbeAsync(clip, null, CancellationToken.None);

        Assert.Equal(320, probe.Width);
        Assert.Equal(240, probe.Height);
        Assert.Equal(new Rational(25, 1), probe.FrameRate);
        Assert.Equal(50, probe.FrameCount);
        Assert.Equal("h264", probe.Codec);
        Assert.True(probe.HasAudio);
        Assert.Equal(new FileInfo(clip).Length, probe.SizeBytes);
        Assert.StartsWith("mov,mp4", probe.Container);
    }

    [Fact]
    public async Task Probe_PathWithSpacesAndNonAsciiCharacters_Works()
    {
        var clip = await TestClips.CreateAsync(TestClipKind.SmpteHdBars, 160, 120, 1, 10);
        var odd = _temp.File("clip with spaces — ünïcødé 映像 -i x.mp4");
        File.Copy(clip, odd);

        var probe = await Prober.ProbeAsync(odd, null, CancellationToken.None);

        Assert.Equal(160, probe.Width);
        Assert.Equal(odd, probe.Path);
    }

    [Fact]
    public async Task Probe_NameThatLooksLikeAProtocol_IsReadAsALocalFile()
    {
        var clip = await TestClips.CreateAsync(TestClipKind.SmpteHdBars, 160, 120, 1, 10);
        var odd = _temp.File("http:example.com.mp4");
        File.Copy(clip, odd);

        var probe = await Prober.ProbeAsync(odd, null, CancellationToken.None);

        Assert.Equal(120, probe.Height);
    }

    [Fact]
    public async Task Probe_MissingFile_IsNotFound()
    {
        var error = await Assert.ThrowsAsync<MediaException>(() => Prober.ProbeAsync(_temp.File("nope.mp4"), null, CancellationToken.None));

        Assert.Equal(MediaErrorKind.NotFound, error.Kind);
        Assert.Contains("does not exist", error.Message);
    }

    [Fact]
    public async Task Probe_Folder_IsNotFound()
    {
        var error = await Assert.ThrowsAsync<MediaException>(() => Prober.ProbeAsync(_temp.Path, null, CancellationToken.None));

        Assert.Equal(MediaErrorKind.NotFound, error.Kind);
        Assert.Contains("folder", error.Message);
    }

    [Fact]
    public async Task Probe_EmptyFile_IsNotAVideo()
    {
        var empty = _temp.File("empty.mp4");
        await File.WriteAllBytesAsync(empty, []);

        var error = await Assert.ThrowsAsync<MediaException>(() => Prober.ProbeAsync(empty, null, CancellationToken.None));

        Assert.Equal(MediaErrorKind.NotAVideo, error.Kind);
        Assert.Contains("empty", error.Message);
    }

    [Theory]
    [InlineData("notes.mp4", "this is a text file, not a video\n")]
    [InlineData("notes.txt", "this is a text file, not a video\n")]
    [InlineData("page.webm", "<html><body>hello</body></html>")]
    public async Task Probe_TextFile_IsNotAVideo(string name, string content)
    {
        var text = _temp.File(name);
        await File.WriteAllTextAsync(text, content);

        var error = await Assert.ThrowsAsync<MediaException>(() => Prober.ProbeAsync(text, null, CancellationToken.None));

        Assert.Equal(MediaErrorKind.NotAVideo, error.Kind);
        Assert.Equal(text, error.Path);
    }

    [Fact]
    public async Task Probe_AudioOnlyFile_IsNotAVideo()
    {
        var audio = await TestClips.RenderWithAsync("tone.m4a", ["-f", "lavfi", "-i", "sine=d=1", "-c:a", "aac"]);

        var error = await Assert.ThrowsAsync<MediaException>(() => Prober.ProbeAsync(audio, null, CancellationToken.None));

        Assert.Equal(MediaErrorKind.NotAVideo, error.Kind);
        Assert.Contains("audio only", error.Message);
    }

    [Fact]
    public async Task Probe_Mp4TruncatedBeforeItsMovieHeader_IsCorrupt()
    {
        // Without +faststart the movie header sits at the end, so cutting the file in half loses it.
        var whole = await TestClips.RenderWithAsync("moov-at-end.mp4", ["-f", "lavfi", "-i", "testsrc2=s=320x240:r=25:d=2", "-c:v", "libx264", "-preset", "ultrafast"]);
        var truncated = _temp.File("truncated.mp4");
        var bytes = await File.ReadAllBytesAsync(whole);
        await File.WriteAllBytesAsync(truncated, bytes[..(bytes.Length / 2)]);

        var error = await Assert.ThrowsAsync<MediaException>(() => Prober.ProbeAsync(truncated, null, CancellationToken.None));

        Assert.Equal(MediaErrorKind.Corrupt, error.Kind);
        Assert.Contains("moov", error.StderrTail);
    }

    [Fact]
    public async Task Probe_FileOverTheLimits_IsRefusedWithTheLimitNamed()
    {
        var clip = await TestClips.CreateAsync(TestClipKind.SmpteHdBars, 320, 240, 2, 25);

        var tooWide = await Assert.ThrowsAsync<MediaException>(() => Prober.ProbeAsync(clip, new MediaLimits { MaxWidth = 200 }, CancellationToken.None));
        var tooLong = await Assert.ThrowsAsync<MediaException>(() => Prober.ProbeAsync(clip, new MediaLimits { MaxDuration = TimeSpan.FromSeconds(1) }, CancellationToken.None));
        var tooBig = await Assert.ThrowsAsync<MediaException>(() => Prober.ProbeAsync(clip, new MediaLimits { MaxFileBytes = 100 }, CancellationToken.None));

        Assert.All(new[] { tooWide, tooLong, tooBig }, e => Assert.Equal(MediaErrorKind.LimitExceeded, e.Kind));
        Assert.Contains("320x240", tooWide.Message);
        Assert.Contains("longer", tooLong.Message);
        Assert.Contains("bytes", tooBig.Message);
    }

    [Fact]
    public async Task Probe_WithoutFfprobeInstalled_IsToolMissing()
    {
        var clip = await TestClips.CreateAsync(TestClipKind.SmpteHdBars, 160, 120, 1, 10);
        using var runner = new FfmpegRunner(new FfmpegOptions { FfprobePath = "/nonexistent/ffprobe" });

        var error = await Assert.ThrowsAsync<MediaException>(() => new VideoProber(runner).ProbeAsync(clip, null, CancellationToken.None));

        Assert.Equal(MediaErrorKind.ToolMissing, error.Kind);
        Assert.Empty(runner.LiveProcessIds);
    }

    [Fact]
    public async Task Probe_CancelledByTheCaller_ThrowsOperationCanceled()
    {
        var clip = await TestClips.CreateAsync(TestClipKind.SmpteHdBars, 160, 120, 1, 10);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Prober.ProbeAsync(clip, null, cancelled.Token));
        Assert.Empty(_runner.LiveProcessIds);
    }

    [Fact]
    public async Task Probe_FifoThatNeverGetsData_FailsAtOnceInsteadOfHanging()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        var fifo = _temp.File("never.mp4");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [fifo]))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var error = await Assert.ThrowsAsync<MediaException>(() => Prober.ProbeAsync(fifo, null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20)));

        Assert.Equal(MediaErrorKind.NotAVideo, error.Kind);
        Assert.Contains("not a regular file", error.Message);
    }

    [Fact]
    public async Task Probe_PastItsTimeLimit_IsTimeoutAndLeavesNoProcess()
    {
        var clip = await TestClips.CreateAsync(TestClipKind.SmpteHdBars, 160, 120, 1, 10);

        var error = await Assert.ThrowsAsync<MediaException>(() => Prober.ProbeAsync(clip, null, CancellationToken.None, timeout: TimeSpan.FromMilliseconds(1)));

        Assert.Equal(MediaErrorKind.Timeout, error.Kind);
        Assert.Equal(clip, error.Path);
        Assert.Empty(_runner.LiveProcessIds);
    }

    [Fact]
    public async Task Probe_PlaylistPointingAtOtherFiles_IsRefusedWithoutOpeningThem()
    {
        var segment = await TestClips.RenderWithAsync("segment.ts", ["-f", "lavfi", "-i", "testsrc2=s=160x120:r=10:d=1", "-c:v", "libx264", "-preset", "ultrafast"]);
        var playlist = _temp.File("upload.m3u8");
        await File.WriteAllTextAsync(playlist, $"#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\n{segment}\n#EXT-X-ENDLIST\n");

        var error = await Assert.ThrowsAsync<MediaException>(() => Prober.ProbeAsync(playlist, null, CancellationToken.None));

        Assert.Equal(MediaErrorKind.NotAVideo, error.Kind);
    }

    [Fact]
    public async Task Probe_StillImage_IsNotAVideo()
    {
        var image = await TestClips.RenderWithAsync("still.png", ["-f", "lavfi", "-i", "testsrc2=s=64x64:d=0.1", "-frames:v", "1"]);

        var error = await Assert.ThrowsAsync<MediaException>(() => Prober.ProbeAsync(image, null, CancellationToken.None));

        Assert.Equal(MediaErrorKind.NotAVideo, error.Kind);
        Assert.Contains("png", error.Message);
    }

    [Fact]
    public async Task Probe_ContainerOutsideTheConfiguredList_IsRefused()
    {
        var clip = await TestClips.CreateAsync(TestClipKind.SmpteHdBars, 160, 120, 1, 10);

        var error = await Assert.ThrowsAsync<MediaException>(() => Prober.ProbeAsync(clip, new MediaLimits { AllowedContainers = "matroska,webm" }, CancellationToken.None));

        Assert.Equal(MediaErrorKind.NotAVideo, error.Kind);
        Assert.Contains("mov,mp4", error.Message);
    }

    [Fact]
    public async Task Probe_WebmAndMpegTs_AreAcceptedByDefault()
    {
        var webm = await TestClips.RenderWithAsync("clip.webm", ["-f", "lavfi", "-i", "testsrc2=s=160x120:r=10:d=1", "-c:v", "libvpx-vp9", "-deadline", "realtime", "-b:v", "100k"]);
        var ts = await TestClips.RenderWithAsync("clip.ts", ["-f", "lavfi", "-i", "testsrc2=s=160x120:r=10:d=1", "-c:v", "libx264", "-preset", "ultrafast"]);

        var webmProbe = await Prober.ProbeAsync(webm, null, CancellationToken.None);
        var tsProbe = await Prober.ProbeAsync(ts, null, CancellationToken.None);

        Assert.Equal("vp9", webmProbe.Codec);
        Assert.Equal("mpegts", tsProbe.Container);
    }

    [Theory]
    [InlineData(16000, 16000)]
    [InlineData(20000, 20000)]
    public async Task Probe_Y4mHeaderClaimingAHugePicture_IsLimitExceededBeforeDecoding(int width, int height)
    {
        var path = _temp.File($"huge {width}.y4m");
        await File.WriteAllTextAsync(path, $"YUV4MPEG2 W{width} H{height} F25:1 Ip A1:1 C420jpeg\nFRAME\nabc");

        var error = await Assert.ThrowsAsync<MediaException>(() => Prober.ProbeAsync(path, null, CancellationToken.None));

        Assert.Equal(MediaErrorKind.LimitExceeded, error.Kind);
    }
}
