namespace Provenance.Media;

/// <summary>Pixel layouts for raw frames moved over pipes.</summary>
public enum RawPixelFormat
{
    /// <summary>Planar 8-bit Y, then U and V at half width and half height (sizes rounded up).</summary>
    Yuv420p,
    /// <summary>One 8-bit luma plane.</summary>
    Gray,
    /// <summary>Packed 8-bit R, G, B per pixel.</summary>
    Rgb24,
}

/// <summary>Sizes and ffmpeg names of <see cref="RawPixelFormat"/> values.</summary>
public static class RawPixelFormats
{
    /// <summary>The name ffmpeg uses for the format (<c>-pix_fmt</c>).</summary>
    public static string FfmpegName(this RawPixelFormat format) => format switch
    {
        RawPixelFormat.Yuv420p => "yuv420p",
        RawPixelFormat.Gray => "gray",
        RawPixelFormat.Rgb24 => "rgb24",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown pixel format"),
    };

    /// <summary>Bytes in one tightly packed frame of <paramref name="width"/> x <paramref name="height"/>.</summary>
    public static int FrameBytes(this RawPixelFormat format, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        long luma = (long)width * height;
        long bytes = format switch
        {
            RawPixelFormat.Yuv420p => luma + 2L * ((width + 1) / 2) * ((height + 1) / 2),
            RawPixelFormat.Gray => luma,
            RawPixelFormat.Rgb24 => luma * 3,
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown pixel format"),
        };
        if (bytes > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"a {width}x{height} {format} frame does not fit in one buffer");
        }
        return (int)bytes;
    }
}
