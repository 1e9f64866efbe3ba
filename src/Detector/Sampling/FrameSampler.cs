using Provenance.Detector.Classification;
using Provenance.Media;

namespace Provenance.Detector.Sampling;

/// <summary>How frames are picked from a video for analysis.</summary>
public sealed record FrameSamplingOptions
{
    /// <summary>Frames per second taken from the video (the <c>--fps</c> of <c>provenance scan</c>).</summary>
    public double SampleRate { get; init; } = 2;

    /// <summary>Most frames kept; sampling stops there.</summary>
    public int MaxFrames { get; init; } = 120;

    /// <summary>Decoded frames are scaled down by ffmpeg so that no side exceeds this (aspect kept).</summary>
    public int MaxSide { get; init; } = 1280;

    /// <summary>Decoded frames are scaled down so that their shorter side (the height of a landscape frame, the width
    /// of a portrait one) does not exceed this (aspect kept).</summary>
    public int MaxShorterSide { get; init; } = 4096;

    public MediaLimits Limits { get; init; } = MediaLimits.Default with
    {
        AllowedContainers = MediaLimits.DefaultContainers + "," + MediaLimits.StillImageContainers,
    };

    /// <summary>Wall-clock bound on decoding.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);
}

/// <summary>The probe of a video and the frames sampled from it, decoded once as rgb24 and shared by every stage.</summary>
public sealed record SampledVideo(VideoProbe Probe, IReadOnlyList<SampledFrame> Frames, double SampleRate, int FrameWidth, int FrameHeight);

/// <summary>Probes and decodes a video (or a still image) once, at a sampling rate, through ffmpeg.</summary>
public sealed class FrameSampler
{
    private readonly FfmpegRunner runner;
    private readonly VideoProber prober;
    private readonly FrameSource source;

    public FrameSampler(FfmpegRunner runner)
    {
        this.runner = runner ?? throw new ArgumentNullException(nameof(runner));
        prober = new VideoProber(runner);
        source = new FrameSource(runner);
    }

    /// <summary>Probes the file, checking it against the limits.</summary>
    /// <exception cref="MediaException">Not a video, damaged, unsupported or over a limit.</exception>
    public Task<VideoProbe> ProbeAsync(string path, FrameSamplingOptions options, CancellationToken cancellationToken) =>
        prober.ProbeAsync(path, options.Limits, cancellationToken);

    /// <summary>Decodes the sampled frames of a probed file. Damaged stretches are skipped, not fatal.
    /// <paramref name="onFrame"/> sees each frame as soon as it is decoded (for stages that work while decoding goes on).</summary>
    /// <exception cref="MediaException">ffmpeg could not decode the file at all, or ran out of time.</exception>
    public async Task<SampledVideo> SampleAsync(VideoProbe probe, FrameSamplingOptions options, CancellationToken cancellationToken,
        Action<SampledFrame>? onFrame = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(options);
        var (width, height) = FitWithin(probe.DisplayWidth, probe.DisplayHeight, options.MaxSide, options.MaxShorterSide);
        var frameRate = probe.FrameRate.Numerator > 0 && probe.FrameRate.Denominator > 0
            ? (double)probe.FrameRate.Numerator / probe.FrameRate.Denominator : 0;
        // Sampling faster than the video's own rate only duplicates frames.
        var rate = frameRate > 0 ? Math.Min(options.SampleRate, frameRate) : options.SampleRate;
        // A still image or a clip shorter than about one sampling interval: ffmpeg's fps filter would drop its only
        // frames, so every frame is taken instead (up to MaxFrames).
        var everyFrame = probe.Duration is not { } duration || duration.TotalSeconds * rate < 1.5;
        var frames = new List<SampledFrame>();
        var sourceOptions = new FrameSourceOptions
        {
            PixelFormat = RawPixelFormat.Rgb24,
            Width = width == probe.DisplayWidth ? null : width,
            Height = height == probe.DisplayHeight ? null : height,
            SampleRate = everyFrame ? null : rate,
            MaxFrames = options.MaxFrames,
            Timeout = options.Timeout,
            Limits = options.Limits,
            TolerateDecodeErrors = true,
        };
        await using (var reader = await source.OpenAsync(probe, sourceOptions, cancellationToken).ConfigureAwait(false))
        {
            while (frames.Count < options.MaxFrames && await reader.ReadFrameAsync(cancellationToken).ConfigureAwait(false) is { } frame)
            {
                using (frame)
                {
                    var image = new RgbImage(frame.Width, frame.Height, frame.Span.ToArray());
                    var time = frame.Timestamp > TimeSpan.Zero ? frame.Timestamp.TotalSeconds : everyFrame ? 0 : frames.Count / rate;
                    var sampled = new SampledFrame(frames.Count, time, image);
                    frames.Add(sampled);
                    onFrame?.Invoke(sampled);
                }
            }
            width = reader.Width;
            height = reader.Height;
        }
        return new SampledVideo(probe, frames, everyFrame ? frameRate : rate, width, height);
    }

    /// <summary>The largest even size with no side over <paramref name="maxSide"/> and a shorter side of at most
    /// <paramref name="maxShorterSide"/> that keeps the aspect ratio; sizes already within are kept.</summary>
    public static (int Width, int Height) FitWithin(int width, int height, int maxSide, int maxShorterSide = int.MaxValue)
    {
        var shorter = Math.Min(width, height);
        if (width <= maxSide && height <= maxSide && shorter <= maxShorterSide)
        {
            return (width, height);
        }
        var scale = Math.Min((double)maxSide / Math.Max(width, height), (double)maxShorterSide / shorter);
        return (Math.Max(2, (int)Math.Round(width * scale / 2) * 2), Math.Max(2, (int)Math.Round(height * scale / 2) * 2));
    }
}
