using System.Buffers;

namespace Provenance.Generator.Frames;

/// <summary>
/// Hands out <see cref="YuvFrame"/>s backed by a bounded array pool, so a streaming clip of any length
/// reuses a handful of frame buffers instead of allocating one per frame.
/// </summary>
public sealed class FramePool
{
    private readonly ArrayPool<byte> _pool;

    public FramePool(int maxFramesPerBucket = 16)
    {
        // Buckets must hold a 1920x1080 frame (about 3 MiB); the shared pool only keeps arrays up to 1 MiB per bucket well.
        _pool = ArrayPool<byte>.Create(maxArrayLength: 16 * 1024 * 1024, maxArraysPerBucket: maxFramesPerBucket);
    }

    public static FramePool Shared { get; } = new();

    public YuvFrame Rent(int width, int height, int index = 0) => new(_pool, width, height) { Index = index };
}
