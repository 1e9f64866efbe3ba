using Provenance.Media;

namespace Provenance.Detector.Scanning;

/// <summary>Limits and sampling of a scan. Bound from configuration section <c>Provenance:Scan</c> by the host.</summary>
public sealed record ScanOptions
{
    public const string ConfigurationSection = "Provenance:Scan";

    /// <summary>Frames per second decoded for the watermark, the fingerprints and the classifier.</summary>
    public double SampleRate { get; init; } = 4;

    /// <summary>Most frames decoded per scan (bounds memory: frames are at most <see cref="MaxDecodeSide"/> wide).</summary>
    public int MaxFrames { get; init; } = 240;

    /// <summary>Frames are decoded scaled down so that no side exceeds this.</summary>
    public int MaxDecodeSide { get; init; } = 1280;

    /// <summary>Frames are decoded scaled down so that their shorter side is at most this: the watermark's analysis side
    /// (360, the height of a landscape frame, the width of a portrait one), plenty for the classifier's 128x128 input,
    /// and it keeps decoding cheap.</summary>
    public int MaxDecodeShorterSide { get; init; } = 360;

    /// <summary>Size, resolution, duration and frame-count limits checked at probe time.</summary>
    public MediaLimits Limits { get; init; } = new()
    {
        MaxFileBytes = 2L << 30,
        MaxWidth = 7680,
        MaxHeight = 4320,
        MaxPixelsPerFrame = 7680L * 4320,
        MaxDuration = TimeSpan.FromHours(1),
        // Photographs are scanned too (credentials and classifier); the demuxer list stays closed otherwise.
        AllowedContainers = MediaLimits.DefaultContainers + "," + MediaLimits.StillImageContainers,
    };

    /// <summary>Wall-clock bound on one whole scan.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);
}
