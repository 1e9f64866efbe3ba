namespace Provenance.Media;

/// <summary>What frames a <see cref="FrameSource"/> decodes: format, size, sampling rate and time range.</summary>
public sealed record FrameSourceOptions
{
    /// <summary>Pixel layout of the frames handed out.</summary>
    public RawPixelFormat PixelFormat { get; init; } = RawPixelFormat.Yuv420p;

    /// <summary>Output width; null keeps the displayed width (or follows <see cref="Height"/>, keeping the aspect ratio).</summary>
    public int? Width { get; init; }

    /// <summary>Output height; null keeps the displayed height (or follows <see cref="Width"/>, keeping the aspect ratio).</summary>
    public int? Height { get; init; }

    /// <summary>Sampling rate in frames per second (ffmpeg's fps filter); null hands out every decoded frame once.</summary>
    public double? SampleRate { get; init; }

    /// <summary>Where to start decoding; null is the beginning.</summary>
    public TimeSpan? Start { get; init; }

    /// <summary>How much to decode from <see cref="Start"/>; null is to the end.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Stop after this many frames; null is no frame limit.</summary>
    public long? MaxFrames { get; init; }

    /// <summary>Wall-clock limit for the whole decode; null uses <see cref="FfmpegOptions.TranscodeTimeout"/>.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Limits checked against the probe before decoding; null uses <see cref="MediaLimits.Default"/>.</summary>
    public MediaLimits? Limits { get; init; }

    /// <summary>
    /// When false (default) any decode error stops the run with <see cref="MediaErrorKind.Corrupt"/>; when true
    /// damaged packets are skipped and whatever decodes is handed out.
    /// </summary>
    public bool TolerateDecodeErrors { get; init; }

    /// <summary>Decode on the GPU (NVDEC via <c>-hwaccel cuda</c>, frames copied back); only honoured when NVDEC was found working.</summary>
    public bool UseHardwareDecoder { get; init; }
}
