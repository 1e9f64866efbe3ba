using System.Numerics;

namespace Provenance.Watermark;

/// <summary>
/// Area-average downscale of 8-bit planes of one size to float planes of another (a plain copy when the sizes match).
/// Each output pixel is the mean of the input area it covers, partly covered pixels weighted by the part covered.
/// The tap weights are computed once; rows are combined first (SIMD over whole input rows), then columns.
/// </summary>
internal sealed class AreaResampler
{
    private readonly int _inWidth, _inHeight, _outWidth, _outHeight;
    private readonly Taps _rows, _columns;
    private readonly float[] _rowMix;

    public AreaResampler(int inWidth, int inHeight, int outWidth, int outHeight)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(inHeight, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outHeight, 1);
        _inWidth = inWidth; _inHeight = inHeight; _outWidth = outWidth; _outHeight = outHeight;
        _rows = Taps.For(inHeight, outHeight);
        _columns = Taps.For(inWidth, outWidth);
        _rowMix = IsCopy ? [] : new float[inWidth];
    }

    private bool IsCopy => _inWidth == _outWidth && _inHeight == _outHeight;

    /// <summary>Resamples <paramref name="src"/> (rows <paramref name="stride"/> bytes apart) into <paramref name="dst"/>
    /// (output width x output height, rows packed).</summary>
    public void Apply(ReadOnlySpan<byte> src, int stride, Span<float> dst)
    {
        if (dst.Length < _outWidth * _outHeight) throw new ArgumentException("Destination plane is too small.", nameof(dst));
        if (IsCopy)
        {
            for (var y = 0; y < _inHeight; y++)
                Widen(src.Slice(y * stride, _inWidth), dst.Slice(y * _inWidth, _inWidth));
            return;
        }
        var mix = _rowMix.AsSpan();
        for (var oy = 0; oy < _outHeight; oy++)
        {
            if (_rows.Start[oy] == _rows.Start[oy + 1]) mix.Clear();
            for (var k = _rows.Start[oy]; k < _rows.Start[oy + 1]; k++)
                AddScaled(src.Slice(_rows.Index[k] * stride, _inWidth), mix, _rows.Weight[k], k == _rows.Start[oy]);
            CombineColumns(mix, dst.Slice(oy * _outWidth, _outWidth));
        }
    }

    /// <summary>Each output pixel of a row: the weighted sum of the input columns it covers.</summary>
    private void CombineColumns(ReadOnlySpan<float> mix, Span<float> row)
    {
        var start = _columns.Start.AsSpan(); var index = _columns.Index.AsSpan(); var weight = _columns.Weight.AsSpan();
        for (var ox = 0; ox < row.Length; ox++)
        {
            int k = start[ox], end = start[ox + 1];
            var acc = 0f;
            for (; k + 1 < end; k += 2) acc += mix[index[k]] * weight[k] + mix[index[k + 1]] * weight[k + 1];
            if (k < end) acc += mix[index[k]] * weight[k];
            row[ox] = acc;
        }
    }

    /// <summary>dst = src as floats.</summary>
    private static void Widen(ReadOnlySpan<byte> src, Span<float> dst)
    {
        var x = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var lanes = Vector<byte>.Count; var quarter = Vector<float>.Count;
            for (; x + lanes <= src.Length; x += lanes)
            {
                var (a, b, c, d) = Floats(new Vector<byte>(src[x..]));
                a.CopyTo(dst[x..]); b.CopyTo(dst[(x + quarter)..]); c.CopyTo(dst[(x + 2 * quarter)..]); d.CopyTo(dst[(x + 3 * quarter)..]);
            }
        }
        for (; x < src.Length; x++) dst[x] = src[x];
    }

    /// <summary>acc = w·src (when <paramref name="first"/>) or acc += w·src.</summary>
    private static void AddScaled(ReadOnlySpan<byte> src, Span<float> acc, float weight, bool first)
    {
        var x = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var lanes = Vector<byte>.Count; var quarter = Vector<float>.Count;
            var w = new Vector<float>(weight);
            for (; x + lanes <= src.Length; x += lanes)
            {
                var (a, b, c, d) = Floats(new Vector<byte>(src[x..]));
                var s0 = acc[x..]; var s1 = acc[(x + quarter)..]; var s2 = acc[(x + 2 * quarter)..]; var s3 = acc[(x + 3 * quarter)..];
                if (first) { (a * w).CopyTo(s0); (b * w).CopyTo(s1); (c * w).CopyTo(s2); (d * w).CopyTo(s3); }
                else
                {
                    (new Vector<float>(s0) + a * w).CopyTo(s0); (new Vector<float>(s1) + b * w).CopyTo(s1);
                    (new Vector<float>(s2) + c * w).CopyTo(s2); (new Vector<float>(s3) + d * w).CopyTo(s3);
                }
            }
        }
        for (; x < src.Length; x++) acc[x] = first ? src[x] * weight : acc[x] + src[x] * weight;
    }

    private static (Vector<float>, Vector<float>, Vector<float>, Vector<float>) Floats(Vector<byte> bytes)
    {
        Vector.Widen(bytes, out var lo, out var hi);
        Vector.Widen(lo, out var a, out var b);
        Vector.Widen(hi, out var c, out var d);
        return (Vector.ConvertToSingle(a), Vector.ConvertToSingle(b), Vector.ConvertToSingle(c), Vector.ConvertToSingle(d));
    }

    /// <summary>For each output position, the input positions it covers and their weights (coverage / scale), packed:
    /// output o uses entries Start[o] .. Start[o + 1] - 1.</summary>
    private sealed record Taps(int[] Start, int[] Index, float[] Weight)
    {
        public static Taps For(int inLength, int outLength)
        {
            var scale = (double)inLength / outLength;
            var start = new int[outLength + 1];
            var index = new List<int>(); var weight = new List<float>();
            for (var o = 0; o < outLength; o++)
            {
                start[o] = index.Count;
                var a = o * scale; var b = (o + 1) * scale;
                var i0 = (int)Math.Floor(a); var i1 = Math.Min(inLength - 1, (int)Math.Ceiling(b) - 1);
                for (var i = i0; i <= i1; i++)
                {
                    var cover = Math.Min(b, i + 1) - Math.Max(a, i);
                    if (cover <= 0) continue;
                    index.Add(i); weight.Add((float)(cover / scale));
                }
            }
            start[outLength] = index.Count;
            return new Taps(start, [.. index], [.. weight]);
        }
    }
}
