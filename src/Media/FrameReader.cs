using System.Buffers;
using System.Globalization;

namespace Provenance.Media;

/// <summary>
/// A running decode: raw frames of a fixed size read one by one from ffmpeg's stdout. Errors surface as
/// <see cref="MediaException"/> when the stream ends; disposing stops ffmpeg if it is still running.
/// </summary>
public sealed class FrameReader : IAsyncDisposable
{
    private readonly FfmpegProcess _process;
    private readonly double _outputRate;
    private readonly TimeSpan _start;
    private readonly long _maxFrames;
    private readonly bool _strict;
    private bool _finished;

    private FrameReader(FfmpegProcess process, VideoProbe probe, int width, int height, RawPixelFormat format, double outputRate, TimeSpan start, bool hardware, long maxFrames, bool strict)
    {
        _maxFrames = maxFrames;
        _strict = strict;
        _process = process;
        Probe = probe;
        Width = width;
        Height = height;
        PixelFormat = format;
        FrameBytes = format.FrameBytes(width, height);
        _outputRate = outputRate;
        _start = start;
        UsesHardwareDecoder = hardware;
    }

    /// <summary>What the input file is.</summary>
    public VideoProbe Probe { get; }

    public int Width { get; }

    public int Height { get; }

    public RawPixelFormat PixelFormat { get; }

    /// <summary>Bytes per frame.</summary>
    public int FrameBytes { get; }

    /// <summary>Frames per second of the output (the sampling rate, else the file's rate; 0 when unknown).</summary>
    public double FrameRate => _outputRate;

    /// <summary>Frames handed out so far.</summary>
    public long FramesRead { get; private set; }

    /// <summary>Whether decoding runs on NVDEC.</summary>
    public bool UsesHardwareDecoder { get; }

    /// <summary>The ffmpeg process id (for diagnostics and tests).</summary>
    public int ProcessId => _process.Id;

    internal static async Task<FrameReader> StartAsync(FfmpegRunner runner, VideoProbe probe, FrameSourceOptions options, bool hardware, CancellationToken cancellationToken)
    {
        var (width, height) = OutputSize(probe, options);
        var arguments = BuildArguments(probe, options, width, height, hardware);
        var start = new FfmpegStartOptions
        {
            Timeout = options.Timeout ?? runner.Options.TranscodeTimeout,
            SubjectPath = probe.Path,
        };
        var process = await runner.StartAsync(FfmpegTool.Ffmpeg, arguments, start, cancellationToken).ConfigureAwait(false);
        var rate = options.SampleRate ?? probe.FrameRate.ToDouble();
        var maxFrames = (options.Limits ?? MediaLimits.Default).MaxFrames;
        return new FrameReader(process, probe, width, height, options.PixelFormat, rate, options.Start ?? TimeSpan.Zero, hardware, maxFrames, !options.TolerateDecodeErrors);
    }

    /// <summary>The frame size ffmpeg will produce: the displayed size, or the requested one (aspect kept when only one side is given).</summary>
    public static (int Width, int Height) OutputSize(VideoProbe probe, FrameSourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(options);
        int baseWidth = probe.DisplayWidth, baseHeight = probe.DisplayHeight;
        var (width, height) = (options.Width, options.Height) switch
        {
            ({ } w, { } h) => (w, h),
            ({ } w, null) => (w, Even(baseHeight * (double)w / baseWidth)),
            (null, { } h) => (Even(baseWidth * (double)h / baseHeight), h),
            _ => (baseWidth, baseHeight),
        };
        if (width < 1 || height < 1 || width > 16384 || height > 16384)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"output size {width}x{height} is outside 1..16384");
        }
        return (width, height);
    }

    private static int Even(double value) => Math.Max(2, (int)Math.Round(value / 2) * 2);

    private static List<string> BuildArguments(VideoProbe probe, FrameSourceOptions options, int width, int height, bool hardware)
    {
        var args = new List<string> { "-hide_banner", "-nostdin", "-nostats", "-v", "error" };
        if (!options.TolerateDecodeErrors)
        {
            args.Add("-xerror");
        }
        if (hardware)
        {
            args.AddRange(["-hwaccel", "cuda"]);
        }
        if (options.Start is { } start && start > TimeSpan.Zero)
        {
            args.AddRange(["-ss", Seconds(start)]);
        }
        if (options.Duration is { } duration)
        {
            args.AddRange(["-t", Seconds(duration)]);
        }
        args.AddRange(MediaInput.InputArguments(probe.Path, (options.Limits ?? MediaLimits.Default).AllowedContainers));
        args.AddRange(["-map", $"0:{probe.VideoStreamIndex}", "-an", "-sn", "-dn"]);
        var filters = new List<string>();
        if (options.SampleRate is { } rate)
        {
            if (!(rate > 0 && rate <= 1000))
            {
                throw new ArgumentOutOfRangeException(nameof(options), $"sample rate {rate} is outside (0, 1000]");
            }
            filters.Add("fps=" + Rational.FromDouble(rate));
        }
        if (width != probe.DisplayWidth || height != probe.DisplayHeight)
        {
            filters.Add(string.Create(CultureInfo.InvariantCulture, $"scale={width}:{height}:flags=bicubic"));
        }
        if (filters.Count > 0)
        {
            args.AddRange(["-vf", string.Join(',', filters)]);
        }
        args.AddRange(["-fps_mode", "passthrough"]);
        if (options.MaxFrames is { } max)
        {
            args.AddRange(["-frames:v", max.ToString(CultureInfo.InvariantCulture)]);
        }
        args.AddRange(["-pix_fmt", options.PixelFormat.FfmpegName(), "-f", "rawvideo", "pipe:1"]);
        return args;
    }

    private static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0.######", CultureInfo.InvariantCulture);

    /// <summary>Reads the next frame into a rented buffer; null when the stream ended cleanly.</summary>
    public async ValueTask<VideoFrame?> ReadFrameAsync(CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(FrameBytes);
        var index = FramesRead;
        bool read;
        try
        {
            read = await ReadFrameAsync(buffer.AsMemory(0, FrameBytes), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
        if (!read)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return null;
        }
        return new VideoFrame(buffer, FrameBytes, index, TimestampOf(index), Width, Height, PixelFormat);
    }

    /// <summary>
    /// Fills <paramref name="destination"/> (at least <see cref="FrameBytes"/> long) with the next frame.
    /// Returns false when the stream ended cleanly; throws <see cref="MediaException"/> when ffmpeg failed.
    /// </summary>
    public async ValueTask<bool> ReadFrameAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        if (destination.Length < FrameBytes)
        {
            throw new ArgumentException($"the buffer holds {destination.Length} bytes, a frame needs {FrameBytes}", nameof(destination));
        }
        if (_finished)
        {
            return false;
        }
        int got;
        using (cancellationToken.CanBeCanceled ? cancellationToken.UnsafeRegister(static s => ((FfmpegProcess)s!).KillTree(), _process) : default)
        {
            try
            {
                got = await _process.StandardOutput.ReadAtLeastAsync(destination[..FrameBytes], FrameBytes, throwOnEndOfStream: false).ConfigureAwait(false);
            }
            catch (IOException)
            {
                got = -1;
            }
            cancellationToken.ThrowIfCancellationRequested();
        }
        if (got == FrameBytes)
        {
            if (FramesRead >= _maxFrames)
            {
                // The header understated the length: stop rather than decode without end.
                _finished = true;
                _process.KillTree();
                throw new MediaException(MediaErrorKind.LimitExceeded, $"'{Probe.Path}' decodes to more than the {_maxFrames} frames allowed", Probe.Path);
            }
            FramesRead++;
            return true;
        }
        _finished = true;
        var exitCode = await _process.WaitForExitAsync().ConfigureAwait(false);
        var path = Probe.Path;
        if (exitCode != 0)
        {
            throw MediaInput.Classify(path, "decoding", exitCode, _process.StderrTail);
        }
        if (got != 0)
        {
            throw new MediaException(MediaErrorKind.Corrupt, $"decoding of '{path}' ended inside frame {FramesRead}", path, _process.StderrTail);
        }
        if (_strict && !string.IsNullOrWhiteSpace(_process.StderrTail))
        {
            // ffmpeg runs at -v error, so anything on stderr is an error it recovered from (e.g. "partial file"
            // when the media data is cut short but the header is intact).
            throw new MediaException(MediaErrorKind.Corrupt, $"decoding of '{path}' hit damaged data after {FramesRead} frames", path, _process.StderrTail);
        }
        return false;
    }

    private TimeSpan TimestampOf(long index)
        => _outputRate > 0 ? _start + TimeSpan.FromSeconds(index / _outputRate) : _start;

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
