using System.Numerics;

namespace Provenance.Watermark;

/// <summary>
/// Content-adaptive strength per 4x4 block. Texture is read at two scales: the mean absolute second difference of
/// the full-resolution luma (fine grain and detail) and of a 2x2-averaged copy (soft, low-contrast texture such as
/// upscaled or rendered footage, which reads about four times stronger there while noise and 8-bit rounding read
/// weaker). Second differences are blind to smooth ramps and gradients, where a pattern would be visible; at the
/// picture's edges the stencils move inward so a ramp running into the edge does not read as its slope. The larger
/// of the two scales is eroded (minimum) over the 3x3 block neighbourhood so that flat areas next to edges stay
/// unmarked, then mapped linearly from <see cref="WatermarkOptions.MaskFloor"/> (0) to
/// <see cref="WatermarkOptions.MaskFull"/> (1). Blocks whose eroded texture reaches
/// <see cref="WatermarkOptions.FlatTexture"/> get at least <see cref="WatermarkOptions.MaskMinimum"/>, provided their
/// eroded coarse-scale texture also reaches <see cref="WatermarkOptions.FlatCoarseTexture"/>: the rounding of a steep
/// 8-bit colour ramp reads like grain at full resolution but averages out at the coarse scale. A third reading at the
/// pattern's own scale (see <see cref="RelativeTexture"/>, frames of about 1080 lines and more) brings soft footage
/// upscaled to a large frame close to the mark it gets at 720p: blocks where it reaches <see cref="WatermarkOptions.FlatRelativeTexture"/> get the minimum and take it as
/// their texture when it is the larger.
/// </summary>
internal sealed class PerceptualMask
{
    public const int Block = 4;
    private readonly float[] _texture;
    private readonly float[] _coarse;
    private readonly float _floor;
    private readonly float _span;
    private readonly float _minimum;
    private readonly float _flat;
    private readonly float _flatCoarse;
    private readonly int _halfWidth;
    private readonly int _halfHeight;
    private readonly int[] _half;
    private short[] _rowAccumulator = [];
    private readonly float[] _rowMinimum;
    private readonly int[] _coarseAccumulator;
    private readonly int[] _coarseDifferences;
    private readonly float[] _relative;
    private readonly float _flatRelative;
    private readonly int _relativeFactor;
    private readonly int _relativeWidth;
    private readonly int _relativeHeight;
    private readonly int[] _relativePixels;
    private readonly int[] _relativeHorizontal;
    private readonly int[] _relativeVertical;
    private readonly int[] _relativeColumnSums;
    private readonly int[] _relativeBendHorizontal;
    private readonly int[] _relativeBendVertical;
    private readonly int[] _relativeRowSum;
    private readonly int[] _relativeWindow;
    private readonly int[] _relativeColumnOfBlock;

    public int BlocksX { get; }
    public int BlocksY { get; }
    public float[] Values { get; }

    public PerceptualMask(int width, int height, WatermarkOptions options)
    {
        BlocksX = (width + Block - 1) / Block;
        BlocksY = (height + Block - 1) / Block;
        _texture = new float[BlocksX * BlocksY];
        _coarse = new float[BlocksX * BlocksY];
        _rowMinimum = new float[BlocksX * BlocksY];
        _coarseAccumulator = new int[BlocksX];
        _coarseDifferences = new int[Math.Max(1, width / 2)];
        Values = new float[BlocksX * BlocksY];
        _floor = (float)options.MaskFloor;
        _span = (float)Math.Max(1e-3, options.MaskFull - options.MaskFloor);
        _minimum = (float)Math.Clamp(options.MaskMinimum, 0, 1);
        _flat = (float)options.FlatTexture;
        _flatCoarse = (float)options.FlatCoarseTexture;
        _halfWidth = width / 2;
        _halfHeight = height / 2;
        _half = new int[Math.Max(1, _halfWidth * _halfHeight)];
        _relative = new float[BlocksX * BlocksY];
        _flatRelative = (float)options.FlatRelativeTexture;
        // Half-resolution pixels per side of one relative-scale pixel: a relative pixel is 2m full-resolution pixels,
        // about a third of a cell whatever the frame height (2 px at 360p and 720p, 4 at 1080p, 6 at 2160p).
        _relativeFactor = Math.Clamp((int)Math.Round(height / 720.0, MidpointRounding.AwayFromZero), 1, 8);
        _relativeWidth = _halfWidth / _relativeFactor;
        _relativeHeight = _halfHeight / _relativeFactor;
        // Buffers only where the reading runs (m ≥ 2, see RelativeTexture).
        var relativeCount = _relativeFactor >= 2 ? Math.Max(1, _relativeWidth * _relativeHeight) : 0;
        var relativeRow = _relativeFactor >= 2 ? Math.Max(1, _relativeWidth) : 0;
        _relativePixels = new int[relativeCount];
        _relativeHorizontal = new int[relativeCount];
        _relativeVertical = new int[relativeCount];
        _relativeColumnSums = new int[6 * relativeRow];
        _relativeBendHorizontal = new int[relativeCount];
        _relativeBendVertical = new int[relativeCount];
        _relativeRowSum = new int[_relativeFactor >= 2 ? Math.Max(1, _halfWidth) : 0];
        _relativeWindow = new int[relativeRow];
        _relativeColumnOfBlock = new int[BlocksX];
        for (var bx = 0; bx < BlocksX; bx++)
        {
            _relativeColumnOfBlock[bx] = Math.Clamp((bx * Block + Block / 2) / (2 * _relativeFactor), 1, Math.Max(1, _relativeWidth - 2));
        }
    }

    public void Compute(ReadOnlySpan<byte> luma, int width, int height, int stride)
    {
        // Scaled so that white noise of standard deviation σ reads ≈ σ at full resolution (≈ σ/2 at half).
        const float NoiseScale = 1f / 3.9f;
        FineTexture(luma, width, height, stride, NoiseScale);
        CoarseTexture(luma, stride, NoiseScale);
        var lanes = Vector<float>.Count;
        var i = 0;
        for (; i + lanes <= _texture.Length; i += lanes) Vector.Max(new Vector<float>(_texture, i), new Vector<float>(_coarse, i)).CopyTo(_texture, i);
        for (; i < _texture.Length; i++) _texture[i] = Math.Max(_texture[i], _coarse[i]);
        RelativeTexture(NoiseScale);
        Erode(_texture);
        Erode(_coarse);
        // The relative reading reaches about 3 relative pixels from a block's centre (window and stencil), so a hard
        // edge between flat areas reads as texture that far out: eroded once per relative factor to stay clear of it.
        for (var e = 0; e < _relativeFactor; e++) Erode(_relative);
        ComputeValues();
    }

    /// <summary>Maps eroded texture to mask values (SIMD; the same operations per value as one at a time).</summary>
    private void ComputeValues()
    {
        var lanes = Vector<float>.Count;
        var floor = new Vector<float>(_floor);
        var span = new Vector<float>(_span);
        var minimum = new Vector<float>(_minimum);
        var flat = new Vector<float>(_flat);
        var flatCoarse = new Vector<float>(_flatCoarse);
        var flatRelative = new Vector<float>(_flatRelative);
        var one = Vector<float>.One;
        var i = 0;
        for (; i + lanes <= Values.Length; i += lanes)
        {
            var m = new Vector<float>(_texture, i);
            var relative = new Vector<float>(_relative, i);
            var relativeTextured = Vector.GreaterThanOrEqual(relative, flatRelative);
            var reading = Vector.ConditionalSelect(relativeTextured, Vector.Max(m, relative), m);
            var v = Vector.Min(Vector.Max((reading - floor) / span, Vector<float>.Zero), one);
            var textured = (Vector.GreaterThanOrEqual(m, flat) & Vector.GreaterThanOrEqual(new Vector<float>(_coarse, i), flatCoarse)) | relativeTextured;
            Vector.ConditionalSelect(textured, Vector.Max(v, minimum), v).CopyTo(Values, i);
        }
        for (; i < Values.Length; i++)
        {
            var m = _texture[i];
            var relativeTextured = _relative[i] >= _flatRelative;
            var v = Math.Clamp(((relativeTextured ? Math.Max(m, _relative[i]) : m) - _floor) / _span, 0f, 1f);
            var textured = (m >= _flat && _coarse[i] >= _flatCoarse) || relativeTextured;
            Values[i] = textured ? Math.Max(v, _minimum) : v;
        }
    }

    /// <summary>
    /// Texture at a scale tied to the cell (a relative pixel is 2m x 2m full-resolution pixels, m = height / 720
    /// rounded; read only when m ≥ 2, since at m = 1 it is the coarse reading's scale): footage upscaled to a large
    /// frame is soft at full resolution but textured at the scale of the pattern. Smooth shading, ramps, their kink and
    /// inflection lines are also strong there, so per direction a 3x3 window reads min(Σ|d| − |Σd|, Σ|Δd| / 5) of the
    /// second differences d: one-signed d (shading, kinks) and linear d (inflections) read zero, texture about two
    /// thirds of its mean absolute second difference. <see cref="Compute"/> erodes the result m times, as far as the
    /// window reaches, so hard edges between flat areas do not spread into them.
    /// </summary>
    private void RelativeTexture(float noiseScale)
    {
        int rw = _relativeWidth, rh = _relativeHeight, f = _relativeFactor;
        // Below about 1080 lines the relative pixel is the coarse reading's 2x2 and adds nothing but risk on ramps.
        if (f < 2 || rw < 3 || rh < 3 || float.IsPositiveInfinity(_flatRelative))
        {
            Array.Clear(_relative);
            return;
        }
        var half = _half;
        var pixels = _relativePixels;
        var lanes = Vector<int>.Count;
        // f half-resolution rows added with SIMD, then f columns at a time.
        var hw = _halfWidth;
        var rowSum = _relativeRowSum.AsSpan();
        for (var y = 0; y < rh; y++)
        {
            half.AsSpan(y * f * hw, hw).CopyTo(rowSum);
            for (var dy = 1; dy < f; dy++)
            {
                var source = half.AsSpan((y * f + dy) * hw, hw);
                var x = 0;
                for (; x + lanes <= hw; x += lanes) (new Vector<int>(rowSum[x..]) + new Vector<int>(source[x..])).CopyTo(rowSum[x..]);
                for (; x < hw; x++) rowSum[x] += source[x];
            }
            var target = pixels.AsSpan(y * rw, rw);
            for (var x = 0; x < rw; x++)
            {
                var s = 0;
                for (var dx = 0; dx < f; dx++) s += rowSum[x * f + dx];
                target[x] = s;
            }
        }
        var horizontal = _relativeHorizontal;
        var vertical = _relativeVertical;
        var bendH = _relativeBendHorizontal;
        var bendV = _relativeBendVertical;
        // Second differences d of the relative picture, then how far d is from linear along its own direction:
        // |second difference of d| (a fourth difference of the picture). Linear d, which smooth ramps have across an
        // inflection line, reads zero. Stencils at the edges move inward, as in the other readings.
        for (var y = 0; y < rh; y++)
        {
            var vy = Math.Clamp(y, 1, rh - 2);
            AlongRow(pixels.AsSpan(y * rw, rw), horizontal.AsSpan(y * rw, rw), absolute: false);
            SecondDifference(pixels.AsSpan((vy - 1) * rw, rw), pixels.AsSpan(vy * rw, rw), pixels.AsSpan((vy + 1) * rw, rw),
                vertical.AsSpan(y * rw, rw), absolute: false);
        }
        for (var y = 0; y < rh; y++)
        {
            var vy = Math.Clamp(y, 1, rh - 2);
            AlongRow(horizontal.AsSpan(y * rw, rw), bendH.AsSpan(y * rw, rw), absolute: true);
            SecondDifference(vertical.AsSpan((vy - 1) * rw, rw), vertical.AsSpan(vy * rw, rw), vertical.AsSpan((vy + 1) * rw, rw),
                bendV.AsSpan(y * rw, rw), absolute: true);
        }
        // Per block: the 3x3 window of relative pixels around the one holding the block's centre. For each block row the
        // window's three rows are summed (signed and absolute, SIMD), then three columns give every relative column's
        // window value, and each block takes its column's.
        // Per direction the window reads min(Σ|d| − |Σd|, Σ|bend| / 5): on white noise the two are about equal (a fourth
        // difference has about 3.4 times a second difference's spread, and Σ|d| − |Σd| is about two thirds of Σ|d|),
        // so texture keeps its value, while a kink line (one-signed d) and an inflection line (linear d) read zero.
        // Kept in integers as min(5 (Σ|d| − |Σd|), Σ|bend|), with the 5 in the scale.
        var scale = noiseScale / (5f * 9f * 4 * f * f);
        var columnSums = _relativeColumnSums;
        var sumH = columnSums.AsSpan(0, rw);
        var absH = columnSums.AsSpan(rw, rw);
        var sumV = columnSums.AsSpan(2 * rw, rw);
        var absV = columnSums.AsSpan(3 * rw, rw);
        var bendSumH = columnSums.AsSpan(4 * rw, rw);
        var bendSumV = columnSums.AsSpan(5 * rw, rw);
        var five = new Vector<int>(5);
        var window = _relativeWindow;
        var columnOf = _relativeColumnOfBlock;
        // The sums hold rows sumsRow − 1 .. sumsRow + 1: one block row further down they slide by one row (the new row
        // added, the old one taken off, exactly, in integers), and block rows on the same relative row reuse the window.
        var sumsRow = -1;
        for (var by = 0; by < BlocksY; by++)
        {
            var cy = Math.Clamp((by * Block + Block / 2) / (2 * f), 1, rh - 2);
            if (cy == sumsRow)
            {
                FillRelativeRow(by, window, columnOf, scale);
                continue;
            }
            if (sumsRow >= 0 && cy == sumsRow + 1)
            {
                AccumulateRelativeRow(cy + 1, columnSums, rw, 1);
                AccumulateRelativeRow(cy - 2, columnSums, rw, -1);
            }
            else
            {
                columnSums.AsSpan(0, 6 * rw).Clear();
                for (var y = cy - 1; y <= cy + 1; y++) AccumulateRelativeRow(y, columnSums, rw, 1);
            }
            sumsRow = cy;
            var c = 1;
            for (; c + lanes + 1 <= rw; c += lanes)
            {
                var sh = new Vector<int>(sumH[(c - 1)..]) + new Vector<int>(sumH[c..]) + new Vector<int>(sumH[(c + 1)..]);
                var ah = new Vector<int>(absH[(c - 1)..]) + new Vector<int>(absH[c..]) + new Vector<int>(absH[(c + 1)..]);
                var sv = new Vector<int>(sumV[(c - 1)..]) + new Vector<int>(sumV[c..]) + new Vector<int>(sumV[(c + 1)..]);
                var av = new Vector<int>(absV[(c - 1)..]) + new Vector<int>(absV[c..]) + new Vector<int>(absV[(c + 1)..]);
                var bhs = new Vector<int>(bendSumH[(c - 1)..]) + new Vector<int>(bendSumH[c..]) + new Vector<int>(bendSumH[(c + 1)..]);
                var bvs = new Vector<int>(bendSumV[(c - 1)..]) + new Vector<int>(bendSumV[c..]) + new Vector<int>(bendSumV[(c + 1)..]);
                (Vector.Min(five * (ah - Vector.Abs(sh)), bhs) + Vector.Min(five * (av - Vector.Abs(sv)), bvs)).CopyTo(window, c);
            }
            for (; c < rw - 1; c++)
            {
                var sh = sumH[c - 1] + sumH[c] + sumH[c + 1];
                var sv = sumV[c - 1] + sumV[c] + sumV[c + 1];
                var ah = absH[c - 1] + absH[c] + absH[c + 1];
                var av = absV[c - 1] + absV[c] + absV[c + 1];
                var bhs = bendSumH[c - 1] + bendSumH[c] + bendSumH[c + 1];
                var bvs = bendSumV[c - 1] + bendSumV[c] + bendSumV[c + 1];
                window[c] = Math.Min(5 * (ah - Math.Abs(sh)), bhs) + Math.Min(5 * (av - Math.Abs(sv)), bvs);
            }
            FillRelativeRow(by, window, columnOf, scale);
        }
    }

    /// <summary>Each block of block row <paramref name="by"/> takes its relative column's window value.</summary>
    private void FillRelativeRow(int by, int[] window, int[] columnOf, float scale)
    {
        var target = _relative.AsSpan(by * BlocksX, BlocksX);
        for (var bx = 0; bx < target.Length; bx++) target[bx] = window[columnOf[bx]] * scale;
    }

    /// <summary>Adds (<paramref name="sign"/> 1) or takes off (−1) relative row <paramref name="y"/>'s second differences,
    /// their absolute values and bends to the six column sums (SIMD).</summary>
    private void AccumulateRelativeRow(int y, int[] columnSums, int rw, int sign)
    {
        var sumH = columnSums.AsSpan(0, rw);
        var absH = columnSums.AsSpan(rw, rw);
        var sumV = columnSums.AsSpan(2 * rw, rw);
        var absV = columnSums.AsSpan(3 * rw, rw);
        var bendSumH = columnSums.AsSpan(4 * rw, rw);
        var bendSumV = columnSums.AsSpan(5 * rw, rw);
        var h = _relativeHorizontal.AsSpan(y * rw, rw);
        var v = _relativeVertical.AsSpan(y * rw, rw);
        var bh = _relativeBendHorizontal.AsSpan(y * rw, rw);
        var bv = _relativeBendVertical.AsSpan(y * rw, rw);
        var lanes = Vector<int>.Count;
        var vs = new Vector<int>(sign);
        var x = 0;
        for (; x + lanes <= rw; x += lanes)
        {
            var hv = new Vector<int>(h[x..]);
            var vv = new Vector<int>(v[x..]);
            (new Vector<int>(sumH[x..]) + vs * hv).CopyTo(sumH[x..]);
            (new Vector<int>(absH[x..]) + vs * Vector.Abs(hv)).CopyTo(absH[x..]);
            (new Vector<int>(sumV[x..]) + vs * vv).CopyTo(sumV[x..]);
            (new Vector<int>(absV[x..]) + vs * Vector.Abs(vv)).CopyTo(absV[x..]);
            (new Vector<int>(bendSumH[x..]) + vs * new Vector<int>(bh[x..])).CopyTo(bendSumH[x..]);
            (new Vector<int>(bendSumV[x..]) + vs * new Vector<int>(bv[x..])).CopyTo(bendSumV[x..]);
        }
        for (; x < rw; x++)
        {
            sumH[x] += sign * h[x]; absH[x] += sign * Math.Abs(h[x]);
            sumV[x] += sign * v[x]; absV[x] += sign * Math.Abs(v[x]);
            bendSumH[x] += sign * bh[x]; bendSumV[x] += sign * bv[x];
        }
    }

    /// <summary>target[x] = row[x−1] + row[x+1] − 2 row[x] (absolute if asked), the centre clamped to 1 .. length − 2.</summary>
    private static void AlongRow(ReadOnlySpan<int> row, Span<int> target, bool absolute)
    {
        var n = row.Length;
        SecondDifference(row[..(n - 2)], row[1..(n - 1)], row[2..], target[1..(n - 1)], absolute);
        target[0] = target[1];
        target[n - 1] = target[n - 2];
    }

    /// <summary>target[i] = a[i] + b[i] − 2 centre[i], or its absolute value (SIMD).</summary>
    private static void SecondDifference(ReadOnlySpan<int> a, ReadOnlySpan<int> centre, ReadOnlySpan<int> b, Span<int> target, bool absolute)
    {
        var lanes = Vector<int>.Count;
        var i = 0;
        for (; i + lanes <= target.Length; i += lanes)
        {
            var c = new Vector<int>(centre[i..]);
            var d = new Vector<int>(a[i..]) + new Vector<int>(b[i..]) - (c + c);
            (absolute ? Vector.Abs(d) : d).CopyTo(target[i..]);
        }
        for (; i < target.Length; i++)
        {
            var d = a[i] + b[i] - 2 * centre[i];
            target[i] = absolute ? Math.Abs(d) : d;
        }
    }

    /// <summary>In place, the minimum over each block's clamped 3x3 neighbourhood, as two separable passes (a minimum
    /// over a row of three, then over a column of three), both with SIMD.</summary>
    private void Erode(float[] blocks)
    {
        int bxCount = BlocksX, byCount = BlocksY;
        var lanes = Vector<float>.Count;
        for (var by = 0; by < byCount; by++)
        {
            var row = blocks.AsSpan(by * bxCount, bxCount);
            var rowMin = _rowMinimum.AsSpan(by * bxCount, bxCount);
            rowMin[0] = Math.Min(row[0], row[Math.Min(bxCount - 1, 1)]);
            var bx = 1;
            for (; bx + lanes + 1 <= bxCount; bx += lanes)
            {
                Vector.Min(Vector.Min(new Vector<float>(row[(bx - 1)..]), new Vector<float>(row[bx..])), new Vector<float>(row[(bx + 1)..]))
                    .CopyTo(rowMin[bx..]);
            }
            for (; bx < bxCount; bx++)
            {
                rowMin[bx] = Math.Min(row[bx - 1], Math.Min(row[bx], row[Math.Min(bxCount - 1, bx + 1)]));
            }
        }
        for (var by = 0; by < byCount; by++)
        {
            var up = _rowMinimum.AsSpan(Math.Max(0, by - 1) * bxCount, bxCount);
            var mid = _rowMinimum.AsSpan(by * bxCount, bxCount);
            var down = _rowMinimum.AsSpan(Math.Min(byCount - 1, by + 1) * bxCount, bxCount);
            var target = blocks.AsSpan(by * bxCount, bxCount);
            var bx = 0;
            for (; bx + lanes <= bxCount; bx += lanes)
            {
                Vector.Min(Vector.Min(new Vector<float>(up[bx..]), new Vector<float>(mid[bx..])), new Vector<float>(down[bx..])).CopyTo(target[bx..]);
            }
            for (; bx < bxCount; bx++) target[bx] = Math.Min(up[bx], Math.Min(mid[bx], down[bx]));
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
                // The vertical stencil moves inward at the top and bottom rows (centre clamped to 1 .. height - 2),
                // so a ramp that runs into the frame edge still reads as smooth instead of as its slope.
                var vy = Math.Clamp(y, 1, height - 2);
                var mid = luma.Slice(vy * stride, width);
                var up = luma.Slice((vy - 1) * stride, width);
                var down = luma.Slice((vy + 1) * stride, width);
                var x = 1;
                // Vector<byte> covers 2 * lanes pixels; widened into two short vectors.
                for (; x + 2 * lanes + 1 <= width; x += 2 * lanes)
                {
                    Vector.Widen(new Vector<byte>(row[x..]), out var c0, out var c1);
                    Vector.Widen(new Vector<byte>(row[(x - 1)..]), out var l0, out var l1);
                    Vector.Widen(new Vector<byte>(row[(x + 1)..]), out var r0, out var r1);
                    Vector.Widen(new Vector<byte>(mid[x..]), out var m0, out var m1);
                    Vector.Widen(new Vector<byte>(up[x..]), out var u0, out var u1);
                    Vector.Widen(new Vector<byte>(down[x..]), out var d0, out var d1);
                    var a = acc.AsSpan(x);
                    (new Vector<short>(a) + SecondDifferences(c0, l0, r0, m0, u0, d0)).CopyTo(a);
                    var a1 = acc.AsSpan(x + lanes);
                    (new Vector<short>(a1) + SecondDifferences(c1, l1, r1, m1, u1, d1)).CopyTo(a1);
                }
                for (; x < width; x++) acc[x] += ScalarSecondDifferences(row, mid, up, down, x, width);
                acc[0] += ScalarSecondDifferences(row, mid, up, down, 0, width);
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

    private static Vector<short> SecondDifferences(Vector<ushort> c, Vector<ushort> l, Vector<ushort> r,
        Vector<ushort> m, Vector<ushort> u, Vector<ushort> d)
    {
        var cc = Vector.AsVectorInt16(c);
        var mm = Vector.AsVectorInt16(m);
        return Vector.Abs(Vector.AsVectorInt16(l) + Vector.AsVectorInt16(r) - (cc + cc))
            + Vector.Abs(Vector.AsVectorInt16(u) + Vector.AsVectorInt16(d) - (mm + mm));
    }

    /// <summary>Both second differences at column x; the horizontal stencil's centre is clamped to 1 .. width - 2 like
    /// the vertical one, so frame edges do not read a ramp's slope as texture.</summary>
    private static short ScalarSecondDifferences(ReadOnlySpan<byte> row, ReadOnlySpan<byte> mid, ReadOnlySpan<byte> up,
        ReadOnlySpan<byte> down, int x, int width)
    {
        var hx = Math.Clamp(x, 1, width - 2);
        return (short)(Math.Abs(row[hx - 1] + row[hx + 1] - 2 * row[hx]) + Math.Abs(up[x] + down[x] - 2 * mid[x]));
    }

    /// <summary>Each block's texture in the 2x2-averaged picture (the sum of four pixels, so values are
    /// 4x the mean), read with second differences one half-resolution pixel apart.</summary>
    private void CoarseTexture(ReadOnlySpan<byte> luma, int stride, float noiseScale)
    {
        int hw = _halfWidth, hh = _halfHeight;
        if (hw < 3 || hh < 3) return;
        for (var y = 0; y < hh; y++)
        {
            DownsampleRows(luma.Slice(2 * y * stride, 2 * hw), luma.Slice((2 * y + 1) * stride, 2 * hw), _half.AsSpan(y * hw, hw));
        }
        // Half-resolution pixel (x, y) covers full-resolution block x >> 1, y >> 1 (4x4 blocks = 2x2 half pixels).
        var scale = noiseScale / 4f / 4f;
        var acc = _coarseAccumulator;
        for (var by = 0; by < BlocksY; by++)
        {
            Array.Clear(acc);
            var any = false;
            for (var y = 2 * by; y < Math.Min(hh, 2 * by + 2); y++)
            {
                any = true;
                var row = _half.AsSpan(y * hw, hw);
                // Stencils at the picture's edges move inward, as at full resolution.
                var vy = Math.Clamp(y, 1, hh - 2);
                var mid = _half.AsSpan(vy * hw, hw);
                var up = _half.AsSpan((vy - 1) * hw, hw);
                var down = _half.AsSpan((vy + 1) * hw, hw);
                var diff = _coarseDifferences;
                diff[0] = SecondDifference(row[1], row[0], row[2], mid[0], up[0], down[0]);
                var x = 1;
                var lanes = Vector<int>.Count;
                for (; x + lanes + 1 <= hw; x += lanes)
                {
                    var c = new Vector<int>(row[x..]);
                    var m = new Vector<int>(mid[x..]);
                    (Vector.Abs(new Vector<int>(row[(x - 1)..]) + new Vector<int>(row[(x + 1)..]) - (c + c))
                        + Vector.Abs(new Vector<int>(up[x..]) + new Vector<int>(down[x..]) - (m + m))).CopyTo(diff, x);
                }
                for (; x < hw - 1; x++) diff[x] = SecondDifference(row[x], row[x - 1], row[x + 1], mid[x], up[x], down[x]);
                diff[hw - 1] = SecondDifference(row[hw - 2], row[hw - 3], row[hw - 1], mid[hw - 1], up[hw - 1], down[hw - 1]);
                for (x = 0; x + 1 < hw; x += 2) acc[x >> 1] += diff[x] + diff[x + 1];
                if ((hw & 1) != 0) acc[(hw - 1) >> 1] += diff[hw - 1];
            }
            if (!any) continue;
            for (var bx = 0; bx < BlocksX; bx++)
            {
                _coarse[by * BlocksX + bx] = acc[bx] * scale;
            }
        }
    }

    /// <summary>out[x] = sum of the 2x2 pixels at (2x, 2x+1) of the two rows. Bytes are widened to 16 bits and added
    /// row to row; each even/odd pair, read as one 32-bit lane, is summed by adding its low and high halves.</summary>
    private static void DownsampleRows(ReadOnlySpan<byte> top, ReadOnlySpan<byte> bottom, Span<int> output)
    {
        var bytes = Vector<byte>.Count;
        var low = new Vector<uint>(0xFFFF);
        var x = 0;
        for (; 2 * x + bytes <= top.Length; x += bytes / 2)
        {
            Vector.Widen(new Vector<byte>(top[(2 * x)..]), out var t0, out var t1);
            Vector.Widen(new Vector<byte>(bottom[(2 * x)..]), out var b0, out var b1);
            var p0 = Vector.AsVectorUInt32(t0 + b0);
            var p1 = Vector.AsVectorUInt32(t1 + b1);
            Vector.AsVectorInt32((p0 & low) + (p0 >> 16)).CopyTo(output[x..]);
            Vector.AsVectorInt32((p1 & low) + (p1 >> 16)).CopyTo(output[(x + Vector<uint>.Count)..]);
        }
        for (; x < output.Length; x++) output[x] = top[2 * x] + top[2 * x + 1] + bottom[2 * x] + bottom[2 * x + 1];
    }

    private static int SecondDifference(int c, int l, int r, int m, int u, int d) => Math.Abs(l + r - 2 * c) + Math.Abs(u + d - 2 * m);
}
