namespace Provenance.Media;

/// <summary>How a <see cref="FrameSink"/> encodes raw frames into an H.264 MP4.</summary>
public sealed record FrameSinkOptions
{
    /// <summary>Width of the frames written.</summary>
    public required int Width { get; init; }

    /// <summary>Height of the frames written.</summary>
    public required int Height { get; init; }

    /// <summary>Frame rate of the output.</summary>
    public required Rational FrameRate { get; init; }

    /// <summary>Pixel layout of the frames written (the MP4 is always yuv420p).</summary>
    public RawPixelFormat PixelFormat { get; init; } = RawPixelFormat.Yuv420p;

    /// <summary>
    /// Encoder: null picks h264_nvenc when hardware detection found it working, else libx264. Naming
    /// h264_nvenc explicitly when it does not work fails with <see cref="MediaErrorKind.Unsupported"/>.
    /// </summary>
    public string? Encoder { get; init; }

    /// <summary>Constant quality (libx264 CRF; NVENC constant-quality level), 0-51, lower is better.</summary>
    public int Quality { get; init; } = 20;

    /// <summary>libx264 preset (ultrafast ... veryslow).</summary>
    public string Preset { get; init; } = "medium";

    /// <summary>NVENC preset (p1 fastest ... p7 best).</summary>
    public string NvencPreset { get; init; } = "p5";

    /// <summary>Copy the first audio stream of this file into the output (video length wins); null for no audio.</summary>
    public string? AudioSourcePath { get; init; }

    /// <summary>Wall-clock limit for the whole encode; null uses <see cref="FfmpegOptions.TranscodeTimeout"/>.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Encoder threads for libx264; null lets ffmpeg decide.</summary>
    public int? Threads { get; init; }
}

/// <summary>What a completed encode produced.</summary>
public sealed record FrameSinkResult(string Path, long FramesWritten, string Encoder, TimeSpan Elapsed, long SizeBytes);
