namespace Provenance.Media;

/// <summary>
/// Bounds a caller accepts before any decoding starts, checked against the probe so a 20000x20000 or
/// ten-hour header is refused cheaply. Bound from configuration section "Media:Limits".
/// </summary>
public sealed record MediaLimits
{
    /// <summary>Largest accepted file in bytes.</summary>
    public long MaxFileBytes { get; init; } = 4L << 30;

    /// <summary>Largest accepted coded width in pixels.</summary>
    public int MaxWidth { get; init; } = 7680;

    /// <summary>Largest accepted coded height in pixels.</summary>
    public int MaxHeight { get; init; } = 7680;

    /// <summary>Largest accepted number of pixels per frame (8K UHD by default).</summary>
    public long MaxPixelsPerFrame { get; init; } = 7680L * 4320;

    /// <summary>Longest accepted duration.</summary>
    public TimeSpan MaxDuration { get; init; } = TimeSpan.FromHours(2);

    /// <summary>Highest accepted frame rate.</summary>
    public double MaxFrameRate { get; init; } = 480;

    /// <summary>Most frames accepted (recorded or estimated from duration and rate).</summary>
    public long MaxFrames { get; init; } = 2_000_000;

    /// <summary>Defaults suited to uploads.</summary>
    public static MediaLimits Default { get; } = new();

    /// <summary>Throws <see cref="MediaException"/> (LimitExceeded) when the file's size alone is over the limit.</summary>
    public void CheckFileSize(string path, long sizeBytes)
    {
        if (sizeBytes > MaxFileBytes)
        {
            throw Exceeded(path, $"is {sizeBytes} bytes, more than the {MaxFileBytes} allowed");
        }
    }

    /// <summary>Throws <see cref="MediaException"/> (LimitExceeded) naming the first limit the probe breaks.</summary>
    public void Check(VideoProbe probe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        CheckFileSize(probe.Path, probe.SizeBytes);
        if (probe.Width > MaxWidth || probe.Height > MaxHeight || (long)probe.Width * probe.Height > MaxPixelsPerFrame)
        {
            throw Exceeded(probe.Path, $"is {probe.Width}x{probe.Height}, over the limit of {MaxWidth}x{MaxHeight} ({MaxPixelsPerFrame} pixels)");
        }
        if (probe.Duration is { } duration && duration > MaxDuration)
        {
            throw Exceeded(probe.Path, $"lasts {duration}, longer than the {MaxDuration} allowed");
        }
        if (probe.FrameRate.ToDouble() > MaxFrameRate)
        {
            throw Exceeded(probe.Path, $"runs at {probe.FrameRate.ToDouble():0.##} fps, more than the {MaxFrameRate} allowed");
        }
        if (probe.EstimatedFrameCount is { } frames && frames > MaxFrames)
        {
            throw Exceeded(probe.Path, $"has about {frames} frames, more than the {MaxFrames} allowed");
        }
    }

    private static MediaException Exceeded(string path, string what)
        => new(MediaErrorKind.LimitExceeded, $"'{path}' {what}", path);
}
