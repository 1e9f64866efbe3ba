namespace Provenance.Media.Tests;

/// <summary>Hardware detection asks the installed ffmpeg; nothing is assumed about the machine.</summary>
public sealed class HardwareCapabilitiesTests : IDisposable
{
    private readonly FfmpegRunner _runner = new();

    public void Dispose() => _runner.Dispose();

    [Fact]
    public async Task Detect_ReportsVersionsAndTheSoftwareEncoder()
    {
        var capabilities = await HardwareCapabilities.DetectAsync(_runner, CancellationToken.None);

        Assert.True(capabilities.Available, capabilities.Error);
        Assert.Matches(@"^\d", capabilities.FfmpegVersion!);
        Assert.Matches(@"^\d", capabilities.FfprobeVersion!);
        Assert.Contains(VideoEncoders.Libx264, capabilities.Encoders);
        Assert.Contains("h264_cuvid", HardwareCapabilities.InterestingCodecs);
    }

    [Fact]
    public async Task Detect_NvencAndNvdecClaimsAreBackedByTrials()
    {
        var capabilities = await HardwareCapabilities.DetectAsync(_runner, CancellationToken.None);

        // Either the trial passed (and the encoder is listed) or there is a reason it is not used.
        Assert.True(capabilities.NvencWorks ? capabilities.HasEncoder(VideoEncoders.Nvenc) && capabilities.NvencProblem is null : capabilities.NvencProblem is not null);
        Assert.True(capabilities.NvdecWorks ? capabilities.HardwareAccelerations.Contains("cuda") && capabilities.NvdecProblem is null : capabilities.NvdecProblem is not null);
        Assert.Equal(capabilities.NvencWorks ? VideoEncoders.Nvenc : VideoEncoders.Libx264, capabilities.H264Encoder);
        Assert.Contains(capabilities.H264Encoder, capabilities.ToString());
    }

    [Fact]
    public async Task Detect_IsCachedPerFfmpegPath()
    {
        var first = await HardwareCapabilities.DetectAsync(_runner, CancellationToken.None);
        var second = await HardwareCapabilities.DetectAsync(_runner, CancellationToken.None);

        Assert.Same(first, second);
    }

    [Fact]
    public async Task Detect_WithoutFfmpeg_ReportsUnavailableInsteadOfThrowing()
    {
        using var runner = new FfmpegRunner(new FfmpegOptions { FfmpegPath = "/nonexistent/ffmpeg-" + Guid.NewGuid().ToString("N") });

        var capabilities = await HardwareCapabilities.DetectAsync(runner, CancellationToken.None);

        Assert.False(capabilities.Available);
        Assert.False(capabilities.NvencWorks);
        Assert.Contains("cannot start", capabilities.Error);
        Assert.Empty(runner.LiveProcessIds);
    }
}
