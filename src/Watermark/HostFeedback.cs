namespace Provenance.Watermark;

/// <summary>
/// Informed embedding: the embedder reads its own marked frames the way the extractor does and, per cell, estimates how
/// much the rest of the frame pushes that cell's reading with or against its sign: the picture underneath, and the
/// pattern's own neighbouring cells, which the extractor's high-pass lets into each cell's reading. Where that push stays
/// from frame to frame (a still, a slow pan, a static shot, and the pattern always), the extractor's sum over frames
/// cannot average it away, so the same cells go wrong in every frame. The feedback moves amplitude between cells:
///
///     aᵢ ∝ max(0, 1 − λ · sᵢ · h̄ᵢ / ḡ), scaled to a mean square of 1, at most A
///
/// (sᵢ the cell's ±1 value, h̄ᵢ the push on the cell and ḡ the reading one unit of amplitude gives, both averaged over
/// recent measured frames; A = <see cref="WatermarkOptions.CellAmplitudeLimit"/>). λ is the share that leaves each cell
/// the largest margin for the same power (<see cref="Cancellation"/>, at most <see cref="WatermarkOptions.HostCancellation"/>),
/// shrunk by how much of the averaged push is noise from frame-to-frame change rather than push that stays, so moving
/// content is not chased. The pattern's power is unchanged, and the frame's distortion budget weighs the mask by the
/// pattern under each block, so the distortion is too.
///
/// All of this is done per region (<see cref="FeedbackRegions"/>): each region's copies of the cells are summed, weighed
/// and given amplitudes of their own. A crop reads only the tiles it keeps; with one set of amplitudes for the whole
/// frame, those were tuned to a push the crop no longer has. With the centre and the ring around it tuned apart, a
/// centred crop that keeps the centre keeps its cancellation, and the whole frame, their sum, keeps both.
/// </summary>
internal sealed class HostFeedback
{
    /// <summary>Every this many frames one is measured (reading a frame and re-rendering the pattern cost about half of
    /// marking one).</summary>
    public const int MeasureEvery = 8;

    /// <summary>Weight of the newest measurement in the running averages (a time constant of about 20 frames).</summary>
    private const double Smoothing = 0.4;

    /// <summary>Smallest change of any amplitude that re-renders the pattern.</summary>
    private const float RenderThreshold = 0.05f;

    private readonly EvidenceFilter _filter;
    private readonly float[] _evidence;
    private readonly int[] _columnCell, _rowCell;
    private readonly float[] _cellValues;
    private readonly int _regions;
    private readonly int[] _columnRegion, _rowRegion;
    private readonly double[] _cellSums;
    private readonly double[] _host;
    private readonly double[] _wanted = new double[TileLayout.Cells];
    private readonly float[] _target = new float[TileLayout.Cells];
    private readonly double _cancellation, _limit;
    private readonly double[] _gain, _moved;
    private long _frames, _measured;

    public HostFeedback(int width, int height, float[] cellValues, WatermarkOptions options)
    {
        _filter = new EvidenceFilter(width, height, options);
        _evidence = new float[_filter.Width * _filter.Height];
        _cellValues = cellValues;
        _cancellation = options.HostCancellation;
        _limit = options.CellAmplitudeLimit;
        var cellSize = height / options.TilesPerHeight / TileLayout.CellsPerSide;
        _columnCell = CellOfPixel(_filter.Width, (double)width / _filter.Width, cellSize);
        _rowCell = CellOfPixel(_filter.Height, (double)height / _filter.Height, cellSize);
        _regions = FeedbackRegions.Count(options);
        _columnRegion = RegionOfPixel(_filter.Width, _regions);
        _rowRegion = RegionOfPixel(_filter.Height, _regions);
        _cellSums = new double[_regions * TileLayout.Cells];
        _host = new double[_regions * TileLayout.Cells];
        _gain = new double[_regions];
        _moved = new double[_regions];
    }

    /// <summary>Observes a marked frame (marked with <paramref name="amplitudes"/>, the cells' amplitudes region after
    /// region); every <see cref="MeasureEvery"/>th frame it is measured and the amplitudes updated. True when they
    /// changed enough to re-render the pattern.</summary>
    public bool Observe(ReadOnlySpan<byte> luma, int stride, float[] amplitudes)
    {
        if (_frames++ % MeasureEvery != 0) return false;
        _filter.Apply(luma, stride);
        Array.Clear(_evidence);
        _filter.AddEvidence(_evidence);
        SumCells();
        var first = _measured++ == 0;
        var changed = false;
        for (var region = 0; region < _regions; region++)
            changed |= Update(region, amplitudes.AsSpan(region * TileLayout.Cells, TileLayout.Cells), first);
        return changed;
    }

    /// <summary>Updates one region's running averages from the frame just summed and, from the second measurement on,
    /// its cells' amplitudes; true when they changed enough to re-render.</summary>
    private bool Update(int region, Span<float> amplitudes, bool first)
    {
        var sums = _cellSums.AsSpan(region * TileLayout.Cells, TileLayout.Cells);
        var hosts = _host.AsSpan(region * TileLayout.Cells, TileLayout.Cells);
        // The mark's reading per unit of amplitude: the host's push is independent of the keyed signs, so Σ sᵢcᵢ / Σ aᵢ
        // estimates it without bias (weighting by aᵢ would not: the amplitudes follow the host).
        double signed = 0, total = 0;
        for (var i = 0; i < TileLayout.Cells; i++)
        {
            signed += _cellValues[i] * sums[i];
            total += amplitudes[i];
        }
        if (total <= 0) return false;
        var gain = signed / total;
        var weight = first ? 1.0 : Smoothing;
        _gain[region] += weight * (gain - _gain[region]);
        double moved = 0, held = 0;
        for (var i = 0; i < TileLayout.Cells; i++)
        {
            var host = sums[i] - gain * amplitudes[i] * _cellValues[i];
            moved += (host - hosts[i]) * (host - hosts[i]);
            hosts[i] += weight * (host - hosts[i]);
            held += hosts[i] * hosts[i];
        }
        if (first) return false;
        // How much of the averaged push stays, and how much is the part that changes from frame to frame (which the
        // extractor's sum over frames averages away, and of which the average still carries a share): a push that changes
        // by d² per cell between measurements leaves about d² · Smoothing / 2 in the average. Cancellation is shrunk by
        // the share that stays.
        _moved[region] += (_measured == 2 ? 1.0 : Smoothing) * (moved / TileLayout.Cells - _moved[region]);
        var noise = _moved[region] * Smoothing / 2;
        var persistent = Math.Max(0, held / TileLayout.Cells - noise);
        var shrink = persistent + noise > 0 ? persistent / (persistent + noise) : 0;
        var g = _gain[region];
        if (g <= 0) return false;

        // How much to cancel, for a fixed power: with the persistent push r times the mark per cell, amplitudes
        // ∝ 1 − λ·sᵢhᵢ/g leave each cell a margin of 1 / ((√(1 + λ²r²) − λ)·r) marks per push. For r < 1 the push can be
        // cancelled outright (λ = 1/√(1 − r²)); above, the best λ is 1/(r·√(r² − 1)), which goes to 0 as the push
        // grows (on a picture pushing twice as hard as the mark, λ 0.29 gains 15 %, λ 1 loses 20 %).
        var r2 = persistent / (g * g);
        var lambda = Cancellation(r2, _cancellation) * shrink;

        // Redistribute, not add: the amplitudes keep a mean square of 1 (before the limit), so the pattern's power stays
        // what it was without feedback.
        double squares = 0;
        for (var i = 0; i < TileLayout.Cells; i++)
        {
            var a = Math.Max(0, 1 - lambda * _cellValues[i] * hosts[i] / g);
            _wanted[i] = a;
            squares += a * a;
        }
        if (squares <= 0) return false;
        var scale = Math.Sqrt(TileLayout.Cells / squares);
        var change = 0f;
        for (var i = 0; i < TileLayout.Cells; i++)
        {
            _target[i] = (float)Math.Min(_wanted[i] * scale, _limit);
            change = Math.Max(change, Math.Abs(_target[i] - amplitudes[i]));
        }
        if (change < RenderThreshold) return false;
        _target.CopyTo(amplitudes);
        return true;
    }

    /// <summary>The share λ of a persistent push r times the mark (given as r²) that leaves each cell the largest margin
    /// at a fixed power, at most <paramref name="cap"/>.</summary>
    internal static double Cancellation(double pushRatioSquared, double cap)
    {
        var r2 = Math.Max(0, pushRatioSquared);
        var best = r2 < 1 ? 1 / Math.Sqrt(1 - r2) : r2 > 1 ? 1 / Math.Sqrt(r2 * (r2 - 1)) : double.PositiveInfinity;
        return Math.Min(cap, best);
    }

    /// <summary>Sums the frame's evidence over each cell of the tile (every tile's copy of the cell together), per region.</summary>
    private void SumCells()
    {
        Array.Clear(_cellSums);
        const int n = TileLayout.CellsPerSide;
        Span<double> row = stackalloc double[_regions * n];
        var w = _filter.Width;
        for (var y = 0; y < _filter.Height; y++)
        {
            row.Clear();
            var line = _evidence.AsSpan(y * w, w);
            // A pixel's distance from the centre is the larger of its row's and column's, and the region grows with it.
            var rowRegion = _rowRegion[y];
            for (var x = 0; x < w; x++) row[Math.Max(rowRegion, _columnRegion[x]) * n + _columnCell[x]] += line[x];
            var offset = _rowCell[y] * n;
            for (var region = 0; region < _regions; region++)
                for (var c = 0; c < n; c++) _cellSums[region * TileLayout.Cells + offset + c] += row[region * n + c];
        }
    }

    /// <summary>The feedback region of each analysis column (or row) on its own.</summary>
    private static int[] RegionOfPixel(int length, int regions) =>
        Enumerable.Range(0, length).Select(i => FeedbackRegions.Of(FeedbackRegions.Distance(i, length), regions)).ToArray();

    /// <summary>The tile column (or row) of the cell whose centre is nearest each analysis pixel's centre.</summary>
    private static int[] CellOfPixel(int length, double scale, double cellSize)
    {
        var cells = new int[length];
        for (var i = 0; i < length; i++)
        {
            var k = (long)Math.Floor((i + 0.5) * scale / cellSize);
            cells[i] = (int)(k % TileLayout.CellsPerSide);
        }
        return cells;
    }
}
