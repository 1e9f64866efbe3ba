using System.Globalization;

namespace Provenance.Media;

/// <summary>
/// Encodes raw frames written to ffmpeg's stdin into an H.264 MP4 with <c>+faststart</c>. The output is written
/// to a temporary file beside the destination and only renamed into place by <see cref="CompleteAsync"/>, so a
/// failed or abandoned encode leaves no partial file.
/// </summary>
public sealed class FrameSink : IAsyncDisposable
{
    /// <summary>Containers an audio source may come in: the video containers plus plain audio files.</summary>
    private const string AudioContainers = MediaLimits.DefaultContainers + ",mp3,wav,aac,flac";

    private readonly FfmpegProcess _process;
    private readonly string _temporaryPath;
    private bool _completed;
    private bool _failed;

    private FrameSink(FfmpegProcess process, string outputPath, string temporaryPath, FrameSinkOptions options, string encoder)
    {
        _process = process;
        OutputPath = outputPath;
        _temporaryPath = temporaryPath;
        Options = options;
        Encoder = encoder;
        FrameBytes = options.PixelFormat.FrameBytes(options.Width, options.Height);
    }

    /// <summary>Where the finished MP4 will be.</summary>
    public string OutputPath { get; }

    public FrameSinkOptions Options { get; }

    /// <summary>The encoder in use (libx264 or h264_nvenc).</summary>
    public string Encoder { get; }

    /// <summary>Bytes every written frame must have.</summary>
    public int FrameBytes { get; }

    public long FramesWritten { get; private set; }

    /// <summary>The ffmpeg process id (for diagnostics and tests).</summary>
    public int ProcessId => _process.Id;

    /// <summary>Starts ffmpeg. <paramref name="capabilities"/> decides the default encoder (null: libx264).</summary>
    public static async Task<FrameSink> StartAsync(FfmpegRunner runner, string outputPath, FrameSinkOptions options, HardwareCapabilities? capabilities, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        ArgumentNullException.ThrowIfNull(options);
        _ = options.PixelFormat.FrameBytes(options.Width, options.Height);
        if (!options.FrameRate.IsValid)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"frame rate {options.FrameRate} is not positive");
        }
        if (options.Quality is < 0 or > 51)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"quality {options.Quality} is outside 0..51");
        }
        var encoder = options.Encoder ?? capabilities?.H264Encoder ?? VideoEncoders.Libx264;
        if (encoder == VideoEncoders.Nvenc && capabilities is not { NvencWorks: true })
        {
            throw new MediaException(MediaErrorKind.Unsupported, "h264_nvenc was asked for but NVENC was not found working: " + (capabilities?.NvencProblem ?? "hardware not detected"));
        }
        if (encoder is not (VideoEncoders.Libx264 or VideoEncoders.Nvenc))
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"encoder {encoder} is not an H.264 encoder this sink drives");
        }
        var full = Path.GetFullPath(outputPath);
        var folder = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{outputPath}' has no folder", nameof(outputPath));
        if (!Directory.Exists(folder))
        {
            throw new MediaException(MediaErrorKind.NotFound, $"the output folder '{folder}' does not exist", full);
        }
        string? audio = null;
        if (options.AudioSourcePath is { } audioSource)
        {
            (audio, _) = MediaInput.Check(audioSource, MediaLimits.Default);
        }
        var temporary = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.partial");
        var arguments = BuildArguments(options, encoder, temporary, audio);
        var start = new FfmpegStartOptions
        {
            RedirectStandardInput = true,
            Timeout = options.Timeout ?? runner.Options.TranscodeTimeout,
            SubjectPath = full,
        };
        var process = await runner.StartAsync(FfmpegTool.Ffmpeg, arguments, start, cancellationToken).ConfigureAwait(false);
        return new FrameSink(process, full, temporary, options, encoder);
    }

    private static List<string> BuildArguments(FrameSinkOptions options, string encoder, string temporary, string? audio)
    {
        var args = new List<string>
        {
            "-hide_banner", "-nostats", "-v", "error",
            "-f", "rawvideo", "-pix_fmt", options.PixelFormat.FfmpegName(),
            "-s", string.Create(CultureInfo.InvariantCulture, $"{options.Width}x{options.Height}"),
            "-framerate", options.FrameRate.ToString(),
            "-i", "pipe:0",
        };
        if (audio is not null)
        {
            args.AddRange(MediaInput.InputArguments(audio, AudioContainers));
            args.AddRange(["-map", "0:v:0", "-map", "1:a:0?", "-c:a", "copy", "-shortest"]);
        }
        else
        {
            args.AddRange(["-map", "0:v:0"]);
        }
        var quality = options.Quality.ToString(CultureInfo.InvariantCulture);
        if (encoder == VideoEncoders.Nvenc)
        {
            args.AddRange(["-c:v", VideoEncoders.Nvenc, "-preset", options.NvencPreset, "-rc", "vbr", "-cq", quality, "-b:v", "0"]);
        }
        else
        {
            args.AddRange(["-c:v", VideoEncoders.Libx264, "-preset", options.Preset, "-crf", quality]);
            if (options.Threads is { } threads)
            {
                args.AddRange(["-threads", threads.ToString(CultureInfo.InvariantCulture)]);
            }
        }
        args.AddRange(["-pix_fmt", "yuv420p", "-movflags", "+faststart", "-f", "mp4", "-y", "file:" + temporary]);
        return args;
    }

    /// <summary>Writes one frame of exactly <see cref="FrameBytes"/> bytes.</summary>
    public async ValueTask WriteFrameAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        if (frame.Length != FrameBytes)
        {
            throw new ArgumentException($"a frame has {FrameBytes} bytes, got {frame.Length}", nameof(frame));
        }
        ObjectDisposedException.ThrowIf(_completed, this);
        if (_failed)
        {
            throw new InvalidOperationException("the encoder already failed");
        }
        using (cancellationToken.CanBeCanceled ? cancellationToken.UnsafeRegister(static s => ((FfmpegProcess)s!).KillTree(), _process) : default)
        {
            try
            {
                await _process.StandardInput.WriteAsync(frame, _process.Lifetime).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
            {
                _failed = true;
                cancellationToken.ThrowIfCancellationRequested();
                throw await FailureAsync(e).ConfigureAwait(false);
            }
            cancellationToken.ThrowIfCancellationRequested();
        }
        FramesWritten++;
    }

    /// <summary>Writes a decoded frame (its size and format must match the sink's).</summary>
    public ValueTask WriteFrameAsync(VideoFrame frame, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (frame.Width != Options.Width || frame.Height != Options.Height || frame.PixelFormat != Options.PixelFormat)
        {
            throw new ArgumentException($"frame is {frame.Width}x{frame.Height} {frame.PixelFormat}, the sink takes {Options.Width}x{Options.Height} {Options.PixelFormat}", nameof(frame));
        }
        return WriteFrameAsync(frame.Data, cancellationToken);
    }

    /// <summary>
    /// Ends the input, waits for ffmpeg, checks the result and renames it to <see cref="OutputPath"/> (replacing
    /// an existing file). Throws <see cref="MediaException"/> when the encode failed; nothing is left behind then.
    /// </summary>
    public async Task<FrameSinkResult> CompleteAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        if (FramesWritten == 0)
        {
            throw new InvalidOperationException("no frames were written");
        }
        using (cancellationToken.CanBeCanceled ? cancellationToken.UnsafeRegister(static s => ((FfmpegProcess)s!).KillTree(), _process) : default)
        {
            try
            {
                await _process.StandardInput.FlushAsync(cancellationToken).ConfigureAwait(false);
                _process.StandardInput.Close();
            }
            catch (IOException e)
            {
                _failed = true;
                throw await FailureAsync(e).ConfigureAwait(false);
            }
            var exitCode = await _process.WaitForExitAsync().ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            var info = new FileInfo(_temporaryPath);
            if (exitCode != 0 || !info.Exists || info.Length == 0)
            {
                _failed = true;
                throw new MediaException(MediaErrorKind.ToolFailed, $"encoding '{OutputPath}' with {Encoder} failed (exit code {exitCode})", OutputPath, _process.StderrTail);
            }
            try
            {
                File.Move(_temporaryPath, OutputPath, overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _failed = true;
                throw new MediaException(MediaErrorKind.NotFound, $"the encoded clip cannot be moved to '{OutputPath}': {e.Message}", OutputPath, inner: e);
            }
            _completed = true;
            return new FrameSinkResult(OutputPath, FramesWritten, Encoder, _process.Elapsed, info.Length);
        }
    }

    private async Task<Exception> FailureAsync(Exception cause)
    {
        _process.KillTree();
        try
        {
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }
        catch (MediaException timeout)
        {
            return timeout;
        }
        catch (OperationCanceledException cancelled)
        {
            return cancelled;
        }
        return new MediaException(MediaErrorKind.ToolFailed, $"encoding '{OutputPath}' with {Encoder} stopped: {cause.Message}", OutputPath, _process.StderrTail, cause);
    }

    /// <summary>Stops ffmpeg if it still runs and removes the temporary file unless the encode completed.</summary>
    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync().ConfigureAwait(false);
        if (!_completed)
        {
            try
            {
                File.Delete(_temporaryPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
    }
}
