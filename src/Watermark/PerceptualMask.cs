using System.Numerics;

namespace Provenance.Watermark;

/// <summary>
/// Content-adaptive strength per 4x4 block. Texture is read at two scales: the mean absolute second difference of
/// the full-resolution luma (fine grain and detail) and of a 2x2-averaged copy (soft, low-contrast texture such as
/// upscaled or rendered footage, which reads about four times stronger there while noise reads weaker). Second
/// differences are blind to smooth ramps and gradients, where a pattern would be visible. The larger of the two is
/// eroded (minimum) over the 3x3 block neighbourhood so that flat areas next to edges stay unmarked, then mapped
/// linearly from <see cref="WatermarkOptions.MaskFloor"/> (0) to <see cref="WatermarkOptions.MaskFull"/> (1); blocks
/// that are not flat (eroded texture ≥ <see cref="WatermarkOptions.FlatTexture"/>) get at least
/// <see cref="WatermarkOptions.MaskMinimum"/>.
/// </summary>
internal sealed class PerceptualMask
{
    public const int Block = 4;
    private readonly float[] _texture;
    private readonly float _floor;
    private readonly float _span;
    private readonly float _minimum;
    private readonly float _flat;
    private readonly int _halfWidth;
    private readonly int _halfHeight;
    private readonly int[] _half;
    private short[] _rowAccumulator = [];

    public int BlocksX { get; }
    public int BlocksY { get; }
    public float[] Values { get; }

    public PerceptualMask(int width, int height, WatermarkOptions options)
    {
        BlocksX = (width + Block - 1) / Block;
        BlocksY = (height + Block - 1) / Block;
        _texture = new float[BlocksX * BlocksY];
        Values = new float[BlocksX * BlocksY];
        _floor = (float)options.MaskFloor;
        _span = (float)Math.Max(1e-3, options.MaskFull - options.MaskFloor);
        _minimum = (float)Math.Clamp(options.MaskMinimum, 0, 1);
        _flat = (float)options.FlatTexture;
        _halfWidth = width / 2;
        _halfHeight = height / 2;
        _half = new int[Math.Max(1, _halfWidth * _halfHeight)];
    }

    public void Compute(ReadOnlySpan<byte> luma, int width, int height, int stride)
    {
        // Scaled so that white noise of standard deviation σ reads ≈ σ at full resolution (≈ σ/2 at half).
        const float NoiseScale = 1f / 3.9f;
        FineTexture(luma, width, height, stride, NoiseScale);
        CoarseTexture(luma, stride, NoiseScale);
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
                        m = Math.Min(m, _texture[yy * BlocksX + xx]);
                    }
                }
                var v = Math.Clamp((m - _floor) / _span, 0f, 1f);
                Values[by * BlocksX + bx] = m >= _flat ? Math.Max(v, _minimum) : v;
            }
        }
    }

    /// <summary>Mean absolute second difference (horizontal + vertical) of each block at full resolution, summed over
    /// the block's rows with SIMD and then over its columns.</summary>
    private void FineTexture(ReadOnlySpan<byte> luma, int width, int height, int stride, float noiseScale)
    {
        var acc = _rowAccumulator.Length >= width ? _rowAccumulator : _rowAccumulator = new short[width];
        var lanes = Vector<short>.Count;
        for (var by = 0; by < BlocksY; by++)
        {
            Array.Clear(acc);
            var y0 = by * Block;
            var yEnd = Math.Min(height, y0 + Block);
            for (var y = y0; y < yEnd; y++)
            {
                var row = luma.Slice(y * stride, width);
                var up = luma.Slice(Math.Max(0, y - 1) * stride, width);
                var down = luma.Slice(Math.Min(height - 1, y + 1) * stride, width);
                var x = 1;
                // Vector<byte> covers 2 * lanes pixels; widened into two short vectors.
                for (; x + 2 * lanes + 1 <= width; x += 2 * lanes)
                {
                    Vector.Widen(new Vector<byte>(row[x..]), out var c0, out var c1);
                    Vector.Widen(new Vector<byte>(row[(x - 1)..]), out var l0, out var l1);
                    Vector.Widen(new Vector<byte>(row[(x + 1)..]), out var r0, out var r1);
                    Vector.Widen(new Vector<byte>(up[x..]), out var u0, out var u1);
                    Vector.Widen(new Vector<byte>(down[x..]), out var d0, out var d1);
                    var a = acc.AsSpan(x);
                    (new Vector<short>(a) + SecondDifferences(c0, l0, r0, u0, d0)).CopyTo(a);
                    var a1 = acc.AsSpan(x + lanes);
                    (new Vector<short>(a1) + SecondDifferences(c1, l1, r1, u1, d1)).CopyTo(a1);
                }
                for (; x < width; x++) acc[x] += ScalarSecondDifferences(row, up, down, x, width);
                acc[0] += ScalarSecondDifferences(row, up, down, 0, width);
            }
            var rows = yEnd - y0;
            for (var bx = 0; bx < BlocksX; bx++)
            {
                var x0 = bx * Block;
                var x1 = Math.Min(width, x0 + Block);
                var s = 0;
                for (var x = x0; x < x1; x++) s += acc[x];
                _texture[by * BlocksX + bx] = s * noiseScale / ((x1 - x0) * rows);
            }
        }
    }

    private static Vector<short> SecondDifferences(Vector<ushort> c, Vector<ushort> l, Vector<ushort> r, Vector<ushort> u, Vector<ushort> d)
    {
        var cc = Vector.AsVectorInt16(c);
        var twice = cc + cc;
        return Vector.Abs(Vector.AsVectorInt16(l) + Vector.AsVectorInt16(r) - twice)
            + Vector.Abs(Vector.AsVectorInt16(u) + Vector.AsVectorInt16(d) - twice);
    }

    private static short ScalarSecondDifferences(ReadOnlySpan<byte> row, ReadOnlySpan<byte> up, ReadOnlySpan<byte> down, int x, int width)
    {
        int c = row[x];
        var l = row[Math.Max(0, x - 1)];
        var r = row[Math.Min(width - 1, x + 1)];
        return (short)(Math.Abs(l + r - 2 * c) + Math.Abs(up[x] + down[x] - 2 * c));
    }

    /// <summary>Raises each block's texture to that of the 2x2-averaged picture (the sum of four pixels, so values are
    /// 4x the mean), read with second differences one half-resolution pixel apart.</summary>
    private void CoarseTexture(ReadOnlySpan<byte> luma, int stride, float noiseScale)
    {
        int hw = _halfWidth, hh = _halfHeight;
        if (hw < 3 || hh < 3) return;
        for (var y = 0; y < hh; y++)
        {
            var r0 = luma.Slice(2 * y * stride, 2 * hw);
            var r1 = luma.Slice((2 * y + 1) * stride, 2 * hw);
            var o = y * hw;
            for (var x = 0; x < hw; x++) _half[o + x] = r0[2 * x] + r0[2 * x + 1] + r1[2 * x] + r1[2 * x + 1];
        }
        // Half-resolution pixel (x, y) covers full-resolution block x >> 1, y >> 1 (4x4 blocks = 2x2 half pixels).
        var scale = noiseScale / 4f / 4f; // 4: sum of four pixels; 4: four half pixels per block
        var acc = new float[BlocksX];
        for (var by = 0; by < BlocksY; by++)
        {
            Array.Clear(acc);
            var any = false;
            for (var y = 2 * by; y < Math.Min(hh, 2 * by + 2); y++)
            {
                any = true;
                var o = y * hw;
                var ou = Math.Max(0, y - 1) * hw;
                var od = Math.Min(hh - 1, y + 1) * hw;
                for (var x = 0; x < hw; x++)
                {
                    var c = _half[o + x];
                    var l = _half[o + Math.Max(0, x - 1)];
                    var r = _half[o + Math.Min(hw - 1, x + 1)];
                    acc[x >> 1] += Math.Abs(l + r - 2 * c) + Math.Abs(_half[ou + x] + _half[od + x] - 2 * c);
                }
            }
            if (!any) continue;
            for (var bx = 0; bx < BlocksX; bx++)
            {
                var i = by * BlocksX + bx;
                _texture[i] = Math.Max(_texture[i], acc[bx] * scale);
            }
        }
    }
}
