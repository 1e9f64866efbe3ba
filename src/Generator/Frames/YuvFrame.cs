using System.Buffers;

namespace Provenance.Generator.Frames;

/// <summary>
/// One planar yuv420p frame (8-bit, full chroma planes at half width and height) in a pooled buffer.
/// The consumer disposes it to hand the buffer back; the bytes are laid out exactly as ffmpeg's
/// <c>-f rawvideo -pix_fmt yuv420p</c> expects, so the whole <see cref="Data"/> can be written to a pipe.
/// </summary>
public sealed class YuvFrame : IDisposable
{
    private byte[]? _buffer;
    private readonly ArrayPool<byte> _pool;

    internal YuvFrame(ArrayPool<byte> pool, int width, int height)
    {
        if (width <= 0 || height <= 0 || width % 2 != 0 || height % 2 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"frame size {width}x{height} must be positive and even");
        }
        _pool = pool;
        Width = width;
        Height = height;
        _buffer = pool.Rent(ByteLength(width, height));
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Position of the frame in its clip, from 0.</summary>
    public int Index { get; set; }

    public int ChromaWidth => Width / 2;

    public int ChromaHeight => Height / 2;

    public int LumaLength => Width * Height;

    public int ChromaLength => ChromaWidth * ChromaHeight;

    /// <summary>The three planes back to back: Y, then U (Cb), then V (Cr).</summary>
    public Span<byte> Data => Buffer.AsSpan(0, ByteLength(Width, Height));

    public Memory<byte> Memory => Buffer.AsMemory(0, ByteLength(Width, Height));

    public Span<byte> Y => Buffer.AsSpan(0, LumaLength);

    public Span<byte> U => Buffer.AsSpan(LumaLength, ChromaLength);

    public Span<byte> V => Buffer.AsSpan(LumaLength + ChromaLength, ChromaLength);

    /// <summary>The raw buffer (may be longer than <see cref="Data"/>); for code that needs an array.</summary>
    public byte[] Buffer => _buffer ?? throw new ObjectDisposedException(nameof(YuvFrame));

    public static int ByteLength(int width, int height) => width * height + 2 * (width / 2) * (height / 2);

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            _pool.Return(buffer);
        }
    }
}
