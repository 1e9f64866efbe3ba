using Provenance.Testing;

namespace Provenance.Media.Tests;

/// <summary>No hang and no orphan: timeouts, cancellation, early exits and shutdown all end the ffmpeg process.</summary>
public sealed class ProcessLifetimeTests : IDisposable
{
    private readonly FfmpegRunner _runner = new();

    public void Dispose() => _runner.Dispose();

    [Fact]
    public async Task Decode_ThatNobodyReads_TimesOutAndTheProcessIsKilled()
    {
        // ffmpeg blocks writing to a pipe nobody drains: only the time limit can end it.
        var clip = await TestClips.CreateAsync(TestClipKind.TestSource2, 640, 360, 4, 25);
        var source = new FrameSource(_runner);
        await using var reader = await source.OpenAsync(clip, new FrameSourceOptions { Timeout = TimeSpan.FromMilliseconds(500) }, CancellationToken.None);
        var pid = reader.ProcessId;
        await Task.Delay(1500);

        var error = await Assert.ThrowsAsync<MediaException>(async () =>
        {
            while (await reader.ReadFrameAsync(CancellationToken.None) is { } frame)
            {
                frame.Dispose();
            }
        });

        Assert.Equal(MediaErrorKind.Timeout, error.Kind);
        Assert.Contains("time limit", error.Message);
        await ProcessAssert.GoneAsync(pid);
    }

    [Fact]
    public async Task Run_EndlessCommand_TimesOutWithoutHanging()
    {
        var started = DateTime.UtcNow;
        var error = await Assert.ThrowsAsync<MediaException>(() => _runner.RunAsync(FfmpegTool.Ffmpeg,
            ["-hide_banner", "-nostdin", "-v", "error", "-re", "-f", "lavfi", "-i", "nullsrc=s=16x16:r=25", "-f", "null", "-"],
            new FfmpegStartOptions { Timeout = TimeSpan.FromMilliseconds(400) }, CancellationToken.None));

        Assert.Equal(MediaErrorKind.Timeout, error.Kind);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(20));
        Assert.Empty(_runner.LiveProcessIds);
    }

    [Fact]
    public async Task Decode_CancelledMidway_ThrowsCancellationAndKillsFfmpeg()
    {
        var clip = await TestClips.CreateAsync(TestClipKind.TestSource2, 640, 360, 4, 25);
        using var cancel = new CancellationTokenSource();
        var source = new FrameSource(_runner);
        await using var reader = await source.OpenAsync(clip, new FrameSourceOptions(), cancel.Token);
        var pid = reader.ProcessId;
        using (var first = await reader.ReadFrameAsync(cancel.Token))
        {
            Assert.NotNull(first);
        }

        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await reader.ReadFrameAsync(cancel.Token));
        await ProcessAssert.GoneAsync(pid);
    }

    [Fact]
    public async Task Decode_LeftEarly_StopsFfmpegAndFreesItsSlot()
    {
        var clip = await TestClips.CreateAsync(TestClipKind.TestSource2, 640, 360, 4, 25);
        var source = new FrameSource(_runner);
        var seen = 0;

        await foreach (var frame in source.ReadFramesAsync(clip, null, CancellationToken.None))
        {
            frame.Dispose();
            Assert.Single(_runner.LiveProcessIds);
            if (++seen == 3)
            {
                break;
            }
        }

        Assert.Empty(_runner.LiveProcessIds);
    }

    [Fact]
    public async Task Runner_Disposed_KillsEveryProcessItStarted()
    {
        var runner = new FfmpegRunner();
        var process = await runner.StartAsync(FfmpegTool.Ffmpeg,
            ["-hide_banner", "-nostdin", "-v", "error", "-re", "-f", "lavfi", "-i", "nullsrc=s=16x16:r=25", "-f", "null", "-"],
            new FfmpegStartOptions { Timeout = TimeSpan.FromMinutes(5) }, CancellationToken.None);
        var pid = process.Id;
        Assert.True(ProcessAssert.IsRunning(pid));

        runner.Dispose();

        await ProcessAssert.GoneAsync(pid);
        await process.DisposeAsync();
    }

    [Fact]
    public async Task Runner_AtItsCap_MakesTheNextRunWaitForAFreeSlot()
    {
        using var runner = new FfmpegRunner(new FfmpegOptions { MaxConcurrentProcesses = 1 });
        string[] endless = ["-hide_banner", "-nostdin", "-v", "error", "-re", "-f", "lavfi", "-i", "nullsrc=s=16x16:r=25", "-f", "null", "-"];
        var first = await runner.StartAsync(FfmpegTool.Ffmpeg, endless, new FfmpegStartOptions(), CancellationToken.None);

        var second = runner.StartAsync(FfmpegTool.Ffmpeg, endless, new FfmpegStartOptions(), CancellationToken.None);
        await Task.Delay(300);
        Assert.False(second.IsCompleted);
        Assert.Single(runner.LiveProcessIds);

        await first.DisposeAsync();
        await using var started = await second.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Single(runner.LiveProcessIds);
        Assert.Equal(started.Id, runner.LiveProcessIds[0]);
    }

    [Fact]
    public async Task Runner_WaitingForASlot_HonoursCancellation()
    {
        using var runner = new FfmpegRunner(new FfmpegOptions { MaxConcurrentProcesses = 1 });
        string[] endless = ["-hide_banner", "-nostdin", "-v", "error", "-re", "-f", "lavfi", "-i", "nullsrc=s=16x16:r=25", "-f", "null", "-"];
        await using var first = await runner.StartAsync(FfmpegTool.Ffmpeg, endless, new FfmpegStartOptions(), CancellationToken.None);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => runner.StartAsync(FfmpegTool.Ffmpeg, endless, new FfmpegStartOptions(), cancel.Token));
    }

    [Fact]
    public async Task Run_FailingCommand_ReturnsItsExitCodeAndStderrTail()
    {
        var result = await _runner.RunAsync(FfmpegTool.Ffmpeg, ["-hide_banner", "-nostdin", "-v", "error", "-f", "lavfi", "-i", "nosuchfilter", "-f", "null", "-"],
            new FfmpegStartOptions { Timeout = TimeSpan.FromSeconds(30) }, CancellationToken.None);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("nosuchfilter", result.StderrTail);
    }

    [Fact]
    public async Task Start_OnLinux_GivesStdoutAOneMebibytePipe()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // pipe sizes are a Linux feature; elsewhere the default pipe is used
        }
        await using var process = await _runner.StartAsync(FfmpegTool.Ffmpeg, ["-hide_banner", "-nostdin", "-v", "error", "-version"], new FfmpegStartOptions(), CancellationToken.None);

        Assert.Equal(1 << 20, PipeCapacity.SizeOf(process.StandardOutput));
    }

    [Fact]
    public async Task Run_WritingMoreThanItsOutputCap_IsLimitExceededAndKilled()
    {
        var error = await Assert.ThrowsAsync<MediaException>(() => _runner.RunAsync(FfmpegTool.Ffmpeg,
            ["-hide_banner", "-nostdin", "-v", "error", "-f", "lavfi", "-i", "testsrc2=s=320x240:r=25", "-f", "rawvideo", "pipe:1"],
            new FfmpegStartOptions { Timeout = TimeSpan.FromSeconds(30) }, CancellationToken.None, maxOutputBytes: 1 << 20));

        Assert.Equal(MediaErrorKind.LimitExceeded, error.Kind);
        Assert.Empty(_runner.LiveProcessIds);
    }

    [Fact]
    public async Task Start_WithANonPositiveTimeout_IsRefused()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _runner.StartAsync(FfmpegTool.Ffmpeg, ["-version"], new FfmpegStartOptions { Timeout = TimeSpan.Zero }, CancellationToken.None));
        Assert.Empty(_runner.LiveProcessIds);
    }

    [Fact]
    public async Task KillAll_StopsRunningDecodesAndTheirReadersSeeAnError()
    {
        var clip = await TestClips.CreateAsync(TestClipKind.TestSource2, 640, 360, 4, 25);
        await using var reader = await new FrameSource(_runner).OpenAsync(clip, null, CancellationToken.None);
        var pid = reader.ProcessId;

        _runner.KillAll();

        await ProcessAssert.GoneAsync(pid);
        await Assert.ThrowsAsync<MediaException>(async () =>
        {
            while (await reader.ReadFrameAsync(CancellationToken.None) is { } frame)
            {
                frame.Dispose();
            }
        });
    }
}
