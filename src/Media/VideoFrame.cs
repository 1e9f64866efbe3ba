using System.Buffers;

namespace Provenance.Media;

/// <summary>
/// One decoded raw frame in a buffer rented from <see cref="ArrayPool{T}.Shared"/>. The consumer owns it:
/// dispose it to return the buffer (a frame that is never disposed is simply collected).
/// </summary>
public sealed class VideoFrame : IDisposable
{
    private byte[]? _buffer;

    internal VideoFrame(byte[] buffer, int length, long index, TimeSpan timestamp, int width, int height, RawPixelFormat format)
    {
        _buffer = buffer;
        Length = length;
        Index = index;
        Timestamp = timestamp;
        Width = width;
        Height = height;
        PixelFormat = format;
    }

    /// <summary>Creates a frame over a freshly rented buffer of the right size (contents undefined).</summary>
    public static VideoFrame Rent(int width, int height, RawPixelFormat format, long index = 0, TimeSpan timestamp = default)
    {
        var length = format.FrameBytes(width, height);
        return new VideoFrame(ArrayPool<byte>.Shared.Rent(length), length, index, timestamp, width, height, format);
    }

    /// <summary>Position of the frame in the decoded sequence, from 0.</summary>
    public long Index { get; }

    /// <summary>Presentation time of the frame from the start of the file (nominal: start + index / output rate).</summary>
    public TimeSpan Timestamp { get; }

    public int Width { get; }

    public int Height { get; }

    public RawPixelFormat PixelFormat { get; }

    /// <summary>Bytes of pixel data.</summary>
    public int Length { get; }

    /// <summary>The pixel data, tightly packed (planes one after another for yuv420p).</summary>
    public Memory<byte> Data => new(Buffer, 0, Length);

    /// <summary>The pixel data as a span.</summary>
    public Span<byte> Span => new(Buffer, 0, Length);

    /// <summary>The luma (Y) plane for yuv420p and gray; the whole packed image for rgb24.</summary>
    public Span<byte> Plane0 => Plane(0);

    /// <summary>
    /// One plane: for yuv420p 0 = Y (Width x Height), 1 = U, 2 = V (each ceil(Width/2) x ceil(Height/2));
    /// for gray and rgb24 only plane 0 exists (the whole image).
    /// </summary>
    public Span<byte> Plane(int index)
    {
        if (PixelFormat != RawPixelFormat.Yuv420p)
        {
            ArgumentOutOfRangeException.ThrowIfNotEqual(index, 0);
            return Span;
        }
        var luma = Width * Height;
        var chroma = ((Width + 1) / 2) * ((Height + 1) / 2);
        return index switch
        {
            0 => Span[..luma],
            1 => Span.Slice(luma, chroma),
            2 => Span.Slice(luma + chroma, chroma),
            _ => throw new ArgumentOutOfRangeException(nameof(index), index, "yuv420p has planes 0, 1 and 2"),
        };
    }

    /// <summary>Bytes per row of <see cref="Plane"/>(index).</summary>
    public int Stride(int index) => PixelFormat switch
    {
        RawPixelFormat.Rgb24 => Width * 3,
        RawPixelFormat.Yuv420p when index > 0 => (Width + 1) / 2,
        _ => Width,
    };

    private byte[] Buffer => _buffer ?? throw new ObjectDisposedException(nameof(VideoFrame));

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
