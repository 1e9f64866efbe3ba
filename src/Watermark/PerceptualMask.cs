namespace Provenance.Watermark;

/// <summary>
/// Content-adaptive strength: the texture of each 4x4 block (mean absolute second difference, blind to smooth
/// ramps), eroded (minimum) over its 3x3
/// block neighbourhood so that flat areas next to edges stay unmarked, mapped linearly from
/// <see cref="WatermarkOptions.MaskFloor"/> (0) to <see cref="WatermarkOptions.MaskFull"/> (1).
/// </summary>
internal sealed class PerceptualMask
{
    public const int Block = 4;
    private readonly float[] _std;
    private readonly float _floor;
    private readonly float _span;

    public int BlocksX { get; }
    public int BlocksY { get; }
    public float[] Values { get; }

    public PerceptualMask(int width, int height, WatermarkOptions options)
    {
        BlocksX = (width + Block - 1) / Block;
        BlocksY = (height + Block - 1) / Block;
        _std = new float[BlocksX * BlocksY];
        Values = new float[BlocksX * BlocksY];
        _floor = (float)options.MaskFloor;
        _span = (float)Math.Max(1e-3, options.MaskFull - options.MaskFloor);
    }

    public void Compute(ReadOnlySpan<byte> luma, int width, int height, int stride)
    {
        // Texture = mean absolute second difference (horizontal + vertical), which ignores smooth ramps and
        // gradients; scaled so that white noise of standard deviation σ reads ≈ σ.
        const float NoiseScale = 1f / 3.9f;
        var sum = new int[BlocksX];
        var cnt = new int[BlocksX];
        for (var by = 0; by < BlocksY; by++)
        {
            Array.Clear(sum); Array.Clear(cnt);
            var yEnd = Math.Min(height, (by + 1) * Block);
            for (var y = by * Block; y < yEnd; y++)
            {
                var row = luma.Slice(y * stride, width);
                var up = luma.Slice(Math.Max(0, y - 1) * stride, width);
                var down = luma.Slice(Math.Min(height - 1, y + 1) * stride, width);
                for (var x = 0; x < width; x++)
                {
                    int c = row[x];
                    var l = row[Math.Max(0, x - 1)];
                    var r = row[Math.Min(width - 1, x + 1)];
                    var b = x >> 2;
                    sum[b] += Math.Abs(l + r - 2 * c) + Math.Abs(up[x] + down[x] - 2 * c);
                    cnt[b]++;
                }
            }
            for (var bx = 0; bx < BlocksX; bx++)
                _std[by * BlocksX + bx] = sum[bx] * NoiseScale / cnt[bx];
        }
        for (var by = 0; by < BlocksY; by++)
        {
            for (var bx = 0; bx < BlocksX; bx++)
            {
                var m = float.MaxValue;
                for (var dy = -1; dy <= 1; dy++)
                {
                    var yy = Math.Clamp(by + dy, 0, BlocksY - 1);
                    for (var dx = -1; dx <= 1; dx++)
                    {
                        var xx = Math.Clamp(bx + dx, 0, BlocksX - 1);
                        m = Math.Min(m, _std[yy * BlocksX + xx]);
                    }
                }
                Values[by * BlocksX + bx] = Math.Clamp((m - _floor) / _span, 0f, 1f);
            }
        }
    }
}
