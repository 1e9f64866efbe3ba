namespace Provenance.Media;

/// <summary>What ffprobe says about a video file: its container and its first video stream.</summary>
public sealed record VideoProbe
{
    /// <summary>The probed file.</summary>
    public required string Path { get; init; }

    /// <summary>ffmpeg's demuxer name, e.g. "mov,mp4,m4a,3gp,3g2,mj2" or "matroska,webm".</summary>
    public required string Container { get; init; }

    /// <summary>Container duration, when known.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Coded width of the video stream in pixels.</summary>
    public required int Width { get; init; }

    /// <summary>Coded height of the video stream in pixels.</summary>
    public required int Height { get; init; }

    /// <summary>Average frame rate (falls back to the stream's base rate).</summary>
    public required Rational FrameRate { get; init; }

    /// <summary>Number of video frames, when the container records it.</summary>
    public long? FrameCount { get; init; }

    /// <summary>Video codec name, e.g. "h264".</summary>
    public required string Codec { get; init; }

    /// <summary>Pixel format of the decoded stream, e.g. "yuv420p", when known.</summary>
    public string? PixelFormat { get; init; }

    /// <summary>Display rotation in degrees clockwise (0, 90, 180, 270), from the display matrix or rotate tag.</summary>
    public int Rotation { get; init; }

    /// <summary>Whether the file has at least one audio stream.</summary>
    public bool HasAudio { get; init; }

    /// <summary>Overall bit rate in bits per second, when known.</summary>
    public long? BitRate { get; init; }

    /// <summary>File size in bytes.</summary>
    public long SizeBytes { get; init; }

    /// <summary>Index of the probed video stream within the file.</summary>
    public int VideoStreamIndex { get; init; }

    /// <summary>Width as displayed, after rotation.</summary>
    public int DisplayWidth => Rotation is 90 or 270 ? Height : Width;

    /// <summary>Height as displayed, after rotation.</summary>
    public int DisplayHeight => Rotation is 90 or 270 ? Width : Height;

    /// <summary>Frame count when recorded, else estimated from duration and frame rate; null when neither is known.</summary>
    public long? EstimatedFrameCount => FrameCount
        ?? (Duration is { } d && FrameRate.IsValid ? (long)Math.Round(d.TotalSeconds * FrameRate.ToDouble()) : null);
}
