namespace Provenance.Watermark;

/// <summary>
/// The classical extractor. Each frame is downscaled to the analysis height, high-passed, normalised by local
/// contrast and summed into per-segment evidence planes. <see cref="Result"/> searches tile scale and shift
/// (re-synchronising after resizing and cropping), reads pilots and payload cells, decodes the code and computes
/// a p-value that holds for unmarked video whatever its content (<see cref="RademacherTail"/> over the keyed cell
/// signs, a union over every hypothesis, each rank of a decoded list charged its share).
/// </summary>
public sealed partial class TiledWatermarkExtractor : IWatermarkExtractor
{
    private readonly WatermarkOptions _options;
    private readonly TileLayout _layout;
    private readonly PayloadCodec _codec;
    private readonly SortedDictionary<long, EvidenceSegment> _segments = [];
    private double _segmentSeconds;
    private int _width = -1, _height = -1, _analysisWidth, _analysisHeight;
    private EvidenceFilter? _filter;
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

    public WatermarkAnalysisProfile PreferredAnalysis => new(_options.AnalysisShorterSide, _options.AnalysisFramesPerSecond);

    public void Accumulate(ReadOnlySpan<byte> luma, int width, int height, int stride, long frameIndex, double timestampSeconds)
    {
        FrameGeometry.Validate(luma.Length, width, height, stride);
        if (_width < 0) Prepare(width, height);
        else if (width != _width || height != _height)
            throw new ArgumentException($"All frames of one extraction must have the same size ({_width}x{_height}, got {width}x{height}).");
        _frames++;
        if (_unusable is not null) return;

        _filter!.Apply(luma, stride);
        var segment = SegmentFor(double.IsFinite(timestampSeconds) ? Math.Max(0, timestampSeconds) : 0);
        segment.Add(_filter, timestampSeconds);
    }

    private void Prepare(int width, int height)
    {
        _width = width; _height = height;
        (_analysisWidth, _analysisHeight) = EvidenceFilter.AnalysisSize(width, height, _options);
        if (width < _options.MinimumFrameSide || height < _options.MinimumFrameSide)
        {
            _unusable = $"frames of {width}x{height} are too small to carry a mark (minimum {_options.MinimumFrameSide} pixels per side)";
            return;
        }
        _filter = new EvidenceFilter(width, height, _options);
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

        public void Add(EvidenceFilter frame, double t)
        {
            frame.AddEvidence(Sum);
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
