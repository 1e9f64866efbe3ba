namespace Provenance.Media;

/// <summary>
/// Bounds a caller accepts before any decoding starts, checked against the probe so a 20000x20000 or
/// ten-hour header is refused cheaply. Bound from configuration section "Provenance:MediaLimits".
/// </summary>
public sealed record MediaLimits
{
    /// <summary>The configuration section these limits are bound from.</summary>
    public const string ConfigurationSection = "Provenance:MediaLimits";

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

    /// <summary>
    /// ffmpeg demuxers a file may be opened with, comma-separated (ffmpeg's <c>-format_whitelist</c>). Playlists
    /// (hls, dash, concat), still images and the text renderer are left out so a hostile upload cannot make ffmpeg
    /// read other files. A demuxer named "mov,mp4,m4a,3gp,3g2,mj2" is allowed when any of its names is listed.
    /// </summary>
    public string AllowedContainers { get; init; } = DefaultContainers;

    /// <summary>The default <see cref="AllowedContainers"/>: common video containers, raw H.264/HEVC/AV1 streams and Y4M.</summary>
    public const string DefaultContainers = "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,avi,mpegts,flv,mpeg,asf,ogg,gif,h264,hevc,m4v,ivf,obu,mxf,yuv4mpegpipe";

    /// <summary>Still-image demuxers, for callers that also accept photographs (the detector's classifier and evaluation).</summary>
    public const string StillImageContainers = "image2,png_pipe,jpeg_pipe,webp_pipe,bmp_pipe";

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
