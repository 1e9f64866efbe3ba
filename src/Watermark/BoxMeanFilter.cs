using System.Numerics;

namespace Provenance.Watermark;

/// <summary>
/// Mean over a (2r+1)² window for float planes of one size, clamped at the borders (normalised by the pixels inside
/// the plane). Separable: along each row the window is summed directly (SIMD, 2r+1 adds per 8 or 16 pixels: the radius
/// is a few pixels, about one mark cell), then down the columns with running sums in double (SIMD over a whole row per
/// step, one add and one subtract per pixel whatever the radius). Buffers are kept between calls, so filtering a frame
/// allocates nothing.
/// </summary>
internal sealed class BoxMeanFilter
{
    private readonly int _width, _height, _radius;
    private readonly float[] _rowMeans;
    private readonly float[] _paddedRow;
    private readonly float[] _zeroRow;
    private readonly double[] _columnSums;
    private readonly float[] _inverseXSingle;
    private readonly double[] _inverseY;

    public BoxMeanFilter(int width, int height, int radius)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(radius);
        _width = width; _height = height; _radius = radius;
        _rowMeans = new float[width * height];
        _paddedRow = new float[width + 2 * radius];
        _zeroRow = new float[width];
        _columnSums = new double[width];
        _inverseXSingle = [.. InverseCounts(width, radius).Select(v => (float)v)];
        _inverseY = InverseCounts(height, radius);
    }

    /// <summary>Filters <paramref name="src"/> into <paramref name="dst"/> (both width x height, rows packed; they may
    /// not overlap).</summary>
    public void Apply(ReadOnlySpan<float> src, Span<float> dst)
    {
        var n = _width * _height;
        if (src.Length < n || dst.Length < n) throw new ArgumentException("Plane is smaller than the filter's size.");
        RowMeans(src);
        ColumnMeans(dst);
    }

    /// <summary>1 / (pixels of the window inside [0, length)) for each position.</summary>
    private static double[] InverseCounts(int length, int radius)
    {
        var inverse = new double[length];
        for (var i = 0; i < length; i++)
            inverse[i] = 1.0 / (Math.Min(length - 1, i + radius) - Math.Max(0, i - radius) + 1);
        return inverse;
    }

    private void RowMeans(ReadOnlySpan<float> src)
    {
        int w = _width, r = _radius;
        var padded = _paddedRow.AsSpan(); // zeros, except the current row at [r, r + w)
        var inverse = _inverseXSingle.AsSpan();
        var lanes = Vector<float>.Count;
        for (var y = 0; y < _height; y++)
        {
            src.Slice(y * w, w).CopyTo(padded[r..]);
            var means = _rowMeans.AsSpan(y * w, w);
            // The window of x covers padded[x .. x + 2r]; summed directly, 8 or 16 outputs per step.
            var x = 0;
            if (Vector.IsHardwareAccelerated)
            {
                for (; x + lanes <= w; x += lanes)
                {
                    var window = padded.Slice(x, lanes + 2 * r);
                    var sum = new Vector<float>(window);
                    for (var k = 1; k <= 2 * r; k++) sum += new Vector<float>(window[k..]);
                    (sum * new Vector<float>(inverse[x..])).CopyTo(means[x..]);
                }
            }
            for (; x < w; x++)
            {
                var sum = padded[x];
                for (var k = 1; k <= 2 * r; k++) sum += padded[x + k];
                means[x] = sum * inverse[x];
            }
        }
    }

    private void ColumnMeans(Span<float> dst)
    {
        int w = _width, h = _height, r = _radius;
        var sums = _columnSums;
        Array.Clear(sums);
        for (var y = 0; y <= Math.Min(r, h - 1); y++) Update(sums, Row(y), _zeroRow);
        for (var y = 0; y < h; y++)
        {
            Store(sums, _inverseY[y], dst.Slice(y * w, w));
            if (y == h - 1) break;
            var add = y + r + 1; var remove = y - r;
            Update(sums, add < h ? Row(add) : _zeroRow, remove >= 0 ? Row(remove) : _zeroRow);
        }
    }

    private ReadOnlySpan<float> Row(int y) => _rowMeans.AsSpan(y * _width, _width);

    /// <summary>sums += add - remove, column by column.</summary>
    private static void Update(double[] sums, ReadOnlySpan<float> add, ReadOnlySpan<float> remove)
    {
        var x = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var lanes = Vector<float>.Count; var half = Vector<double>.Count;
            for (; x + lanes <= sums.Length; x += lanes)
            {
                Vector.Widen(new Vector<float>(add[x..]), out var addLo, out var addHi);
                Vector.Widen(new Vector<float>(remove[x..]), out var removeLo, out var removeHi);
                (new Vector<double>(sums, x) + (addLo - removeLo)).CopyTo(sums, x);
                (new Vector<double>(sums, x + half) + (addHi - removeHi)).CopyTo(sums, x + half);
            }
        }
        for (; x < sums.Length; x++) sums[x] += (double)add[x] - remove[x];
    }

    /// <summary>row = sums · inverse, as floats.</summary>
    private static void Store(double[] sums, double inverse, Span<float> row)
    {
        var x = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var lanes = Vector<float>.Count; var half = Vector<double>.Count;
            var scale = new Vector<double>(inverse);
            for (; x + lanes <= sums.Length; x += lanes)
                Vector.Narrow(new Vector<double>(sums, x) * scale, new Vector<double>(sums, x + half) * scale).CopyTo(row[x..]);
        }
        for (; x < sums.Length; x++) row[x] = (float)(sums[x] * inverse);
    }
}
