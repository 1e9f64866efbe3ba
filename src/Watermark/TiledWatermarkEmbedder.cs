using System.Numerics;
using System.Runtime.Intrinsics;

namespace Provenance.Watermark;

/// <summary>
/// The classical embedder: adds the keyed, payload-modulated tile pattern to luma, scaled by the perceptual mask.
/// Every frame carries the same cells with the same signs, so frame drops, rate changes and reordering cannot
/// desynchronise it; with host feedback (<see cref="HostFeedback"/>) the cells' amplitudes follow the picture slowly, one
/// set per feedback region, cross-faded where the regions meet.
/// Per frame it costs one pass for the mask (4x4 block statistics) and one pass to add the pattern; the pattern field is
/// rendered once per frame size and again when the feedback moves the amplitudes (at most every 8th frame).
/// </summary>
public sealed class TiledWatermarkEmbedder : IWatermarkEmbedder
{
    private readonly WatermarkOptions _options;
    private readonly float[] _cellValues;
    private readonly float[] _amplitudes;
    private readonly float[] _scaledCells = new float[TileLayout.Cells];
    private readonly int _regions;
    private float[] _regionField = [], _columnWeights = [];
    private double[] _columnDistance = [];
    private int _width = -1, _height = -1;
    private TileField? _tiles;
    private float[] _field = [];
    private float[] _blockPower = [];
    private HostFeedback? _feedback;
    private PerceptualMask? _mask;
    private int[] _maskX0 = [], _maskX1 = [];
    private float[] _maskTx = [];
    private float[] _upperRow = [], _lowerRow = [];
    private bool[] _rowMarked = [];

    public TiledWatermarkEmbedder(WatermarkKey key, ulong payload, WatermarkOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        _options = options ?? WatermarkOptions.Default;
        var layout = new TileLayout(key.DeriveSubkey(WatermarkSubkeys.Pattern));
        var codec = new PayloadCodec(key.DeriveSubkey(WatermarkSubkeys.Check));
        _cellValues = layout.CellValues(codec.Encode(payload));
        _regions = FeedbackRegions.Count(_options);
        _amplitudes = new float[_regions * TileLayout.Cells];
    }

    public void Embed(Span<byte> luma, int width, int height, int stride, long frameIndex)
    {
        FrameGeometry.Validate(luma.Length, width, height, stride);
        if (width < _options.MinimumFrameSide || height < _options.MinimumFrameSide) return;
        if (width != _width || height != _height) Prepare(width, height);
        var mask = _mask!;
        mask.Compute(luma, width, height, stride);
        var strength = (float)(_options.Strength * BudgetScale(mask));
        var bx = mask.BlocksX;
        var maskValues = mask.Values;
        // The mask is bilinear between block centres. Each block row is interpolated across the width once (times
        // the strength) into one of two cached rows; every pixel row is then a blend of the two rows around it.
        var rowMarked = _rowMarked;
        for (var b = 0; b < mask.BlocksY; b++)
        {
            rowMarked[b] = maskValues.AsSpan(b * bx, bx).IndexOfAnyExcept(0f) >= 0;
        }
        int upperRow = -1, lowerRow = -1;
        var upper = _upperRow;
        var lower = _lowerRow;
        for (var y = 0; y < height; y++)
        {
            var fy = (y + 0.5f) / PerceptualMask.Block - 0.5f;
            var by0 = Math.Clamp((int)MathF.Floor(fy), 0, mask.BlocksY - 1);
            var by1 = Math.Min(by0 + 1, mask.BlocksY - 1);
            if (!rowMarked[by0] && !rowMarked[by1]) continue;
            var ty = Math.Clamp(fy - by0, 0f, 1f);
            if (upperRow != by0)
            {
                if (lowerRow == by0)
                {
                    (upper, lower) = (lower, upper);
                    (upperRow, lowerRow) = (lowerRow, -1);
                }
                else
                {
                    InterpolateAcross(maskValues.AsSpan(by0 * bx, bx), strength, upper);
                    upperRow = by0;
                }
            }
            if (lowerRow != by1)
            {
                InterpolateAcross(maskValues.AsSpan(by1 * bx, bx), strength, lower);
                lowerRow = by1;
            }
            AddPattern(luma.Slice(y * stride, width), upper, lower, ty, _field.AsSpan(y * width, width), strength);
        }
        (_upperRow, _lowerRow) = (upper, lower);
        if (_feedback is not null && _feedback.Observe(luma, stride, _amplitudes)) RenderField();
    }

    /// <summary>Renders the pattern: each cell's ±1 value times its amplitude (all 1 without host feedback); with
    /// several feedback regions, each region's pattern cross-faded into its part of the frame.</summary>
    private void RenderField()
    {
        if (_regions == 1)
        {
            for (var i = 0; i < TileLayout.Cells; i++) _scaledCells[i] = _cellValues[i] * _amplitudes[i];
            _tiles!.Render(_scaledCells, _field);
        }
        else
        {
            Array.Clear(_field);
            for (var region = 0; region < _regions; region++)
            {
                for (var i = 0; i < TileLayout.Cells; i++) _scaledCells[i] = _cellValues[i] * _amplitudes[region * TileLayout.Cells + i];
                _tiles!.Render(_scaledCells, _regionField);
                AddRegion(region);
            }
        }
        BlockPowers();
    }

    /// <summary>_field += (the region's weight) · _regionField. A pixel's distance from the centre is the larger of its
    /// row's and its column's, so on each row the columns nearer the centre than the row itself (one span around the
    /// middle) share the row's weight, and the others take their column's.</summary>
    private void AddRegion(int region)
    {
        var columnWeights = _columnWeights.AsSpan(region * _width, _width);
        for (var y = 0; y < _height; y++)
        {
            var dy = FeedbackRegions.Distance(y, _height);
            var rowWeight = FeedbackRegions.Weight(dy, region, _regions);
            var (from, to) = SpanWithin(dy);
            var o = y * _width;
            var field = _field.AsSpan(o, _width);
            var source = _regionField.AsSpan(o, _width);
            AddWeighted(field[..from], source[..from], columnWeights[..from]);
            if (rowWeight != 0) AddScaled(field[from..to], source[from..to], rowWeight);
            AddWeighted(field[to..], source[to..], columnWeights[to..]);
        }
    }

    /// <summary>The columns [from, to) whose distance from the centre is at most <paramref name="d"/> (they form one
    /// span, the distance falling towards the middle and rising after it).</summary>
    private (int From, int To) SpanWithin(double d)
    {
        var middle = _width / 2;
        int lo = 0, hi = middle;
        while (lo < hi) { var m = (lo + hi) / 2; if (_columnDistance[m] <= d) hi = m; else lo = m + 1; }
        var from = lo;
        lo = middle; hi = _width;
        while (lo < hi) { var m = (lo + hi) / 2; if (_columnDistance[m] > d) hi = m; else lo = m + 1; }
        return (from, Math.Max(from, lo));
    }

    private static void AddWeighted(Span<float> target, ReadOnlySpan<float> source, ReadOnlySpan<float> weights)
    {
        var lanes = Vector<float>.Count;
        var x = 0;
        for (; x + lanes <= target.Length; x += lanes)
            (new Vector<float>(target[x..]) + new Vector<float>(weights[x..]) * new Vector<float>(source[x..])).CopyTo(target[x..]);
        for (; x < target.Length; x++) target[x] += weights[x] * source[x];
    }

    private static void AddScaled(Span<float> target, ReadOnlySpan<float> source, float weight)
    {
        var lanes = Vector<float>.Count;
        var w = new Vector<float>(weight);
        var x = 0;
        for (; x + lanes <= target.Length; x += lanes)
            (new Vector<float>(target[x..]) + w * new Vector<float>(source[x..])).CopyTo(target[x..]);
        for (; x < target.Length; x++) target[x] += weight * source[x];
    }

    /// <summary>target[x] = strength · (blocks interpolated linearly between block centres at x).</summary>
    private void InterpolateAcross(ReadOnlySpan<float> blocks, float strength, float[] target)
    {
        // Pixels 4b + 2 .. 4b + 5 lie between the centres of blocks b and b + 1, at 1/8, 3/8, 5/8 and 7/8 of the way:
        // four at a time, with the same operations in the same order as per pixel, so the values are identical.
        var fractions = Vector128.Create(0.125f, 0.375f, 0.625f, 0.875f);
        var scale = Vector128.Create(strength);
        var b = 0;
        for (; b + 1 < blocks.Length && 4 * b + 6 <= target.Length; b++)
        {
            var a = blocks[b];
            ((Vector128.Create(a) + Vector128.Create(blocks[b + 1] - a) * fractions) * scale).CopyTo(target.AsSpan(4 * b + 2));
        }
        // The first two pixels (before the first centre) and those the loop did not reach.
        for (var x = 0; x < Math.Min(2, target.Length); x++) target[x] = InterpolatedAt(blocks, strength, x);
        for (var x = 4 * b + 2; x < target.Length; x++) target[x] = InterpolatedAt(blocks, strength, x);
    }

    private float InterpolatedAt(ReadOnlySpan<float> blocks, float strength, int x)
    {
        var a = blocks[_maskX0[x]];
        return strength * (a + (blocks[_maskX1[x]] - a) * _maskTx[x]);
    }

    /// <summary>row[x] += weight[x] · field[x], with weight[x] = upper[x] + (lower[x] − upper[x]) · t (the mask between two
    /// block rows) and the change held within ±<paramref name="cap"/> (the frame's strength: host feedback raises some cells'
    /// amplitude, but a fully textured area still changes by at most the strength), rounded and clamped to 0..255, 32 pixels
    /// at a time.</summary>
    private static void AddPattern(Span<byte> row, ReadOnlySpan<float> upper, ReadOnlySpan<float> lower, float t, ReadOnlySpan<float> field,
        float cap)
    {
        var width = row.Length;
        var lanes = Vector<float>.Count;
        var chunk = Vector<byte>.Count;
        var x = 0;
        if (chunk == 4 * lanes)
        {
            var vt = new Vector<float>(t);
            var half = new Vector<float>(0.5f);
            var top = new Vector<float>(255.5f);
            var zero = Vector<float>.Zero;
            var limit = new Vector<float>(cap);
            for (; x + chunk <= width; x += chunk)
            {
                Vector.Widen(new Vector<byte>(row[x..]), out var s0, out var s1);
                Vector.Widen(s0, out var p0, out var p1);
                Vector.Widen(s1, out var p2, out var p3);
                var q0 = Mark(p0, upper, lower, vt, field, x, half, top, zero, limit);
                var q1 = Mark(p1, upper, lower, vt, field, x + lanes, half, top, zero, limit);
                var q2 = Mark(p2, upper, lower, vt, field, x + 2 * lanes, half, top, zero, limit);
                var q3 = Mark(p3, upper, lower, vt, field, x + 3 * lanes, half, top, zero, limit);
                Vector.Narrow(Vector.Narrow(q0, q1), Vector.Narrow(q2, q3)).CopyTo(row[x..]);
            }
        }
        for (; x < width; x++)
        {
            var w = upper[x] + (lower[x] - upper[x]) * t;
            if (w == 0) continue;
            var v = row[x] + Math.Clamp(w * field[x], -cap, cap);
            row[x] = (byte)Math.Clamp((int)MathF.Round(v), 0, 255);
        }
    }

    private static Vector<uint> Mark(Vector<uint> pixels, ReadOnlySpan<float> upper, ReadOnlySpan<float> lower, Vector<float> t,
        ReadOnlySpan<float> field, int x, Vector<float> half, Vector<float> top, Vector<float> zero, Vector<float> limit)
    {
        var u = new Vector<float>(upper[x..]);
        var weight = u + (new Vector<float>(lower[x..]) - u) * t;
        var change = Vector.Min(Vector.Max(weight * new Vector<float>(field[x..]), -limit), limit);
        var v = Vector.ConvertToSingle(Vector.AsVectorInt32(pixels)) + change + half;
        v = Vector.Min(Vector.Max(v, zero), top);
        return Vector.AsVectorUInt32(Vector.ConvertToInt32(v));
    }

    /// <summary>Scales the frame's strength down so its expected luma MSE stays within the distortion budget.</summary>
    private double BudgetScale(PerceptualMask mask)
    {
        var expectedMse = _options.Strength * _options.Strength * WeightedSumOfSquares(mask.Values, _blockPower) / mask.Values.Length;
        if (expectedMse <= 0) return 1.0;
        return Math.Min(_options.BudgetBoostLimit, Math.Sqrt(_options.MaximumMeanSquaredError / expectedMse));
    }

    /// <summary>Σ vᵢ² wᵢ (a block's mask value squared times the pattern's power over that block) in double precision,
    /// with a partial sum per SIMD lane.</summary>
    private static double WeightedSumOfSquares(float[] values, float[] weights)
    {
        var lanes = Vector<float>.Count;
        Vector<double> a = Vector<double>.Zero, b = Vector<double>.Zero;
        var i = 0;
        for (; i + lanes <= values.Length; i += lanes)
        {
            var v = new Vector<float>(values, i);
            Vector.Widen(v * v * new Vector<float>(weights, i), out var low, out var high);
            a += low;
            b += high;
        }
        double sum = Vector.Sum(a + b);
        for (; i < values.Length; i++) sum += values[i] * values[i] * weights[i];
        return sum;
    }

    /// <summary>The pattern's mean square over each 4x4 block of the mask, from its even rows (edge blocks over the pixels
    /// they have): with host feedback the cells' amplitudes differ, and which cells are strong follows the picture, so the
    /// budget weighs each block's mask by the pattern under it rather than by the frame's average.</summary>
    private void BlockPowers()
    {
        const int block = PerceptualMask.Block;
        var bx = _mask!.BlocksX;
        Array.Clear(_blockPower);
        for (var y = 0; y < _height; y += 2)
        {
            var row = _field.AsSpan(y * _width, _width);
            var target = _blockPower.AsSpan(y / block * bx, bx);
            var x = 0;
            for (; x + block <= _width; x += block)
            {
                var v = Vector128.Create(row.Slice(x, block));
                target[x / block] += Vector128.Sum(v * v);
            }
            for (; x < _width; x++) target[x / block] += row[x] * row[x];
        }
        for (var b = 0; b < _blockPower.Length; b++)
        {
            var (col, line) = (b % bx, b / bx);
            var w = Math.Min(block, _width - col * block);
            var rows = (Math.Min(block, _height - line * block) + 1) / 2;
            _blockPower[b] /= w * rows;
        }
    }

    private void Prepare(int width, int height)
    {
        _width = width; _height = height;
        _tiles = new TileField(width, height, _options.TilesPerHeight);
        _field = new float[width * height];
        _regionField = _regions > 1 ? new float[width * height] : [];
        _columnDistance = Enumerable.Range(0, width).Select(x => FeedbackRegions.Distance(x, width)).ToArray();
        _columnWeights = new float[_regions * width];
        for (var region = 0; region < _regions; region++)
            for (var x = 0; x < width; x++) _columnWeights[region * width + x] = FeedbackRegions.Weight(_columnDistance[x], region, _regions);
        _mask = new PerceptualMask(width, height, _options);
        _blockPower = new float[_mask.BlocksX * _mask.BlocksY];
        Array.Fill(_amplitudes, 1f);
        RenderField();
        _feedback = _options.HostCancellation > 0 ? new HostFeedback(width, height, _cellValues, _options) : null;
        _maskX0 = new int[width]; _maskX1 = new int[width]; _maskTx = new float[width];
        _upperRow = new float[width]; _lowerRow = new float[width];
        _rowMarked = new bool[_mask.BlocksY];
        for (var x = 0; x < width; x++)
        {
            var fx = (x + 0.5f) / PerceptualMask.Block - 0.5f;
            var x0 = Math.Clamp((int)MathF.Floor(fx), 0, _mask.BlocksX - 1);
            _maskX0[x] = x0;
            _maskX1[x] = Math.Min(x0 + 1, _mask.BlocksX - 1);
            _maskTx[x] = Math.Clamp(fx - x0, 0f, 1f);
        }
    }
}

/// <summary>Subkey purposes (HMAC-SHA256 labels); changing one changes every mark made with it.</summary>
internal static class WatermarkSubkeys
{
    public const string Pattern = "provenance/watermark/v1/pattern";
    public const string Check = "provenance/watermark/v1/check";
}

internal static class FrameGeometry
{
    public static void Validate(int length, int width, int height, int stride)
    {
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), "Frame size must be positive.");
        if (stride < width) throw new ArgumentOutOfRangeException(nameof(stride), "Stride is smaller than the width.");
        if ((long)stride * (height - 1) + width > length) throw new ArgumentException("The plane is smaller than width, height and stride say.");
    }
}

/// <summary>Renders the smooth tile pattern (cell values joined by raised-cosine interpolation) for one frame size.
/// Separable: each tile row of cells is interpolated across the width once, and every pixel row is a blend of two of
/// those (SIMD); the axes are computed once.</summary>
internal sealed class TileField
{
    private readonly int _width, _height;
    private readonly int[] _cx0, _cx1, _cy0, _cy1;
    private readonly float[] _wx, _wy;
    private readonly float[] _rows;

    public TileField(int width, int height, double tilesPerHeight)
    {
        _width = width; _height = height;
        var cellSize = height / tilesPerHeight / TileLayout.CellsPerSide;
        (_cx0, _cx1, _wx) = Axis(width, cellSize);
        (_cy0, _cy1, _wy) = Axis(height, cellSize);
        _rows = new float[TileLayout.CellsPerSide * width];
    }

    /// <summary>Renders <paramref name="cellValues"/> into <paramref name="field"/> (width x height).</summary>
    public void Render(ReadOnlySpan<float> cellValues, float[] field)
    {
        const int n = TileLayout.CellsPerSide;
        var w = _width;
        for (var r = 0; r < n; r++)
        {
            var row = _rows.AsSpan(r * w, w);
            var a = r * n;
            for (var x = 0; x < w; x++)
            {
                var tx = _wx[x];
                row[x] = cellValues[a + _cx0[x]] * tx + cellValues[a + _cx1[x]] * (1 - tx);
            }
        }
        var lanes = Vector<float>.Count;
        for (var y = 0; y < _height; y++)
        {
            var top = _rows.AsSpan(_cy0[y] * w, w);
            var bottom = _rows.AsSpan(_cy1[y] * w, w);
            var target = field.AsSpan(y * w, w);
            var ty = _wy[y];
            var vty = new Vector<float>(ty);
            var vuy = new Vector<float>(1 - ty);
            var x = 0;
            for (; x + lanes <= w; x += lanes) (new Vector<float>(top[x..]) * vty + new Vector<float>(bottom[x..]) * vuy).CopyTo(target[x..]);
            for (; x < w; x++) target[x] = top[x] * ty + bottom[x] * (1 - ty);
        }
    }

    /// <summary>For each pixel: the two neighbouring cell centres (mod tile) and the raised-cosine weight of the first.</summary>
    private static (int[] C0, int[] C1, float[] W0) Axis(int length, double cellSize)
    {
        var c0 = new int[length]; var c1 = new int[length]; var w0 = new float[length];
        const int n = TileLayout.CellsPerSide;
        for (var i = 0; i < length; i++)
        {
            var t = (i + 0.5) / cellSize - 0.5;
            var k = Math.Floor(t);
            var f = t - k;
            var ki = (long)k;
            c0[i] = (int)(((ki % n) + n) % n);
            c1[i] = (int)((((ki + 1) % n) + n) % n);
            var cos = Math.Cos(Math.PI * f / 2);
            w0[i] = (float)(cos * cos);
        }
        return (c0, c1, w0);
    }
}
