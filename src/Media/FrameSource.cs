using System.Runtime.CompilerServices;

namespace Provenance.Media;

/// <summary>
/// Decodes a video file to raw frames streamed over ffmpeg's stdout. Probes first, so bad input and
/// over-limit files are refused with a <see cref="MediaException"/> before decoding starts.
/// </summary>
public sealed class FrameSource
{
    private readonly FfmpegRunner _runner;
    private readonly VideoProber _prober;
    private readonly HardwareCapabilities? _capabilities;

    public FrameSource(FfmpegRunner runner, HardwareCapabilities? capabilities = null)
    {
        _runner = runner ?? throw new ArgumentNullException(nameof(runner));
        _prober = new VideoProber(runner);
        _capabilities = capabilities;
    }

    /// <summary>Probes the file and starts decoding; the caller reads frames from the returned reader and disposes it.</summary>
    public async Task<FrameReader> OpenAsync(string path, FrameSourceOptions? options, CancellationToken cancellationToken)
    {
        options ??= new FrameSourceOptions();
        var probe = await _prober.ProbeAsync(path, options.Limits, cancellationToken).ConfigureAwait(false);
        return await OpenAsync(probe, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts decoding a file that was already probed (and checked against limits).</summary>
    public Task<FrameReader> OpenAsync(VideoProbe probe, FrameSourceOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(probe);
        options ??= new FrameSourceOptions();
        var hardware = options.UseHardwareDecoder && _capabilities is { NvdecWorks: true };
        return FrameReader.StartAsync(_runner, probe, options, hardware, cancellationToken);
    }

    /// <summary>
    /// Streams every frame of the file. Each frame is owned by the consumer (dispose it to return its buffer).
    /// Leaving the loop early stops ffmpeg.
    /// </summary>
    public async IAsyncEnumerable<VideoFrame> ReadFramesAsync(string path, FrameSourceOptions? options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var reader = await OpenAsync(path, options, cancellationToken).ConfigureAwait(false);
        while (await reader.ReadFrameAsync(cancellationToken).ConfigureAwait(false) is { } frame)
        {
            yield return frame;
        }
    }
}
