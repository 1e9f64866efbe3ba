using System.Numerics;

namespace Provenance.Watermark;

/// <summary>
/// The classical extractor. Each frame is downscaled to the analysis height, high-passed, normalised by local
/// contrast and summed into per-segment evidence planes. <see cref="Result"/> searches tile scale and shift
/// (re-synchronising after resizing and cropping), reads pilots and payload cells, decodes the code and computes
/// a p-value that holds for unmarked video whatever its content (Hoeffding bound over the keyed cell signs,
/// Bonferroni over every hypothesis).
/// </summary>
public sealed partial class TiledWatermarkExtractor : IWatermarkExtractor
{
    private readonly WatermarkOptions _options;
    private readonly TileLayout _layout;
    private readonly PayloadCodec _codec;
    private readonly SortedDictionary<long, EvidenceSegment> _segments = [];
    private double _segmentSeconds;
    private int _width = -1, _height = -1, _analysisWidth, _analysisHeight;
    private float[] _plane = [], _smooth = [], _residual = [], _energy = [];
    private AreaResampler? _resampler;
    private BoxMeanFilter? _highPass;
    private int _frames;
    private string? _unusable;

    public TiledWatermarkExtractor(WatermarkKey key, WatermarkOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        _options = options ?? WatermarkOptions.Default;
        _layout = new TileLayout(key.DeriveSubkey(WatermarkSubkeys.Pattern));
        _codec = new PayloadCodec(key.DeriveSubkey(WatermarkSubkeys.Check));
        _segmentSeconds = _options.SegmentSeconds;
    }

    public WatermarkAnalysisProfile PreferredAnalysis => new(_options.AnalysisHeight, _options.AnalysisFramesPerSecond);

    public void Accumulate(ReadOnlySpan<byte> luma, int width, int height, int stride, long frameIndex, double timestampSeconds)
    {
        FrameGeometry.Validate(luma.Length, width, height, stride);
        if (_width < 0) Prepare(width, height);
        else if (width != _width || height != _height)
            throw new ArgumentException($"All frames of one extraction must have the same size ({_width}x{_height}, got {width}x{height}).");
        _frames++;
        if (_unusable is not null) return;

        _resampler!.Apply(luma, stride, _plane);
        _highPass!.Apply(_plane, _smooth);
        SquaredResidual(_plane, _smooth, _residual);
        _highPass.Apply(_plane, _energy);
        var segment = SegmentFor(double.IsFinite(timestampSeconds) ? Math.Max(0, timestampSeconds) : 0);
        segment.Add(_residual, _energy, timestampSeconds);
    }

    /// <summary>residual = plane - smooth; plane = residual² (SIMD).</summary>
    private static void SquaredResidual(float[] plane, float[] smooth, float[] residual)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var lanes = Vector<float>.Count;
            for (; i + lanes <= plane.Length; i += lanes)
            {
                var r = new Vector<float>(plane, i) - new Vector<float>(smooth, i);
                r.CopyTo(residual, i);
                (r * r).CopyTo(plane, i);
            }
        }
        for (; i < plane.Length; i++)
        {
            var r = plane[i] - smooth[i];
            residual[i] = r;
            plane[i] = r * r;
        }
    }

    private int HighPassRadius =>
        Math.Max(2, (int)Math.Round(_analysisHeight / (_options.TilesPerHeight * TileLayout.CellsPerSide)));

    private void Prepare(int width, int height)
    {
        _width = width; _height = height;
        var limit = _options.AnalysisHeight;
        _analysisHeight = height > limit * 1.15 ? limit : height;
        _analysisWidth = Math.Max(1, (int)Math.Round((double)width * _analysisHeight / height));
        if (width < _options.MinimumFrameSide || height < _options.MinimumFrameSide)
        {
            _unusable = $"frames of {width}x{height} are too small to carry a mark (minimum {_options.MinimumFrameSide} pixels per side)";
            return;
        }
        var n = _analysisWidth * _analysisHeight;
        _plane = new float[n]; _smooth = new float[n]; _residual = new float[n]; _energy = new float[n];
        _resampler = new AreaResampler(width, height, _analysisWidth, _analysisHeight);
        _highPass = new BoxMeanFilter(_analysisWidth, _analysisHeight, HighPassRadius);
    }

    private EvidenceSegment SegmentFor(double t)
    {
        var index = (long)Math.Floor(t / _segmentSeconds);
        if (!_segments.TryGetValue(index, out var seg))
        {
            if (_segments.Count >= _options.MaximumSegments)
            {
                MergeSegments();
                return SegmentFor(t);
            }
            seg = new EvidenceSegment(_analysisWidth * _analysisHeight);
            _segments[index] = seg;
        }
        return seg;
    }

    /// <summary>Doubles the segment length, merging neighbours, so memory stays bounded on long clips.</summary>
    private void MergeSegments()
    {
        _segmentSeconds *= 2;
        var merged = new SortedDictionary<long, EvidenceSegment>();
        foreach (var (index, seg) in _segments)
        {
            var k = index >= 0 ? index / 2 : (index - 1) / 2;
            if (merged.TryGetValue(k, out var into)) into.Merge(seg);
            else merged[k] = seg;
        }
        _segments.Clear();
        foreach (var (k, v) in merged) _segments[k] = v;
    }

    /// <summary>Summed evidence of the frames of one stretch of time.</summary>
    private sealed class EvidenceSegment(int length)
    {
        public float[] Sum { get; } = new float[length];
        public int Frames { get; private set; }
        public double Start { get; private set; } = double.PositiveInfinity;
        public double End { get; private set; } = double.NegativeInfinity;

        public void Add(float[] residual, float[] energy, double t)
        {
            // Weight ≈ expected mark / noise variance: the mark grows with texture up to a cap (the mask),
            // the host residual grows with texture, so flat and very busy areas both count less.
            var lanes = Vector<float>.Count;
            var floor = new Vector<float>(2f);
            var lo = new Vector<float>(-3f);
            var hi = new Vector<float>(3f);
            var i = 0;
            for (; i + lanes <= Sum.Length; i += lanes)
            {
                var s = Vector.SquareRoot(Vector.Max(new Vector<float>(energy, i), floor * floor));
                var v = Vector.Min(Vector.Max(new Vector<float>(residual, i) / s, lo), hi);
                (new Vector<float>(Sum, i) + v).CopyTo(Sum, i);
            }
            for (; i < Sum.Length; i++)
            {
                var s = MathF.Sqrt(MathF.Max(energy[i], 4f));
                Sum[i] += Math.Clamp(residual[i] / s, -3f, 3f);
            }
            Frames++;
            if (double.IsFinite(t)) { Start = Math.Min(Start, t); End = Math.Max(End, t); }
        }

        public void Merge(EvidenceSegment other)
        {
            for (var i = 0; i < Sum.Length; i++) Sum[i] += other.Sum[i];
            Frames += other.Frames;
            Start = Math.Min(Start, other.Start);
            End = Math.Max(End, other.End);
        }
    }
}
