using System.Numerics;

namespace Provenance.Watermark;

/// <summary>
/// The per-frame reading of the mark, shared by the extractor and the embedder's host feedback: the frame is
/// area-downscaled to the analysis height, high-passed (minus a box mean about one cell wide), and each pixel is divided by
/// its local residual energy (floor 2) and clipped to ±3. Buffers are kept, so a frame allocates nothing.
/// </summary>
internal sealed class EvidenceFilter
{
    private readonly AreaResampler _resampler;
    private readonly BoxMeanFilter _highPass;
    private readonly float[] _plane, _smooth;

    public int Width { get; }
    public int Height { get; }

    /// <summary>High-passed luma of the last frame.</summary>
    public float[] Residual { get; }

    /// <summary>Local mean of the squared residual of the last frame.</summary>
    public float[] Energy { get; }

    public EvidenceFilter(int width, int height, WatermarkOptions options)
    {
        (Width, Height) = AnalysisSize(width, height, options);
        var n = Width * Height;
        _plane = new float[n]; _smooth = new float[n]; Residual = new float[n]; Energy = new float[n];
        _resampler = new AreaResampler(width, height, Width, Height);
        // About one cell of a frame marked in this orientation or turned a quarter from it (cells are a fixed fraction
        // of the marked frame's height, which is the shorter side of a landscape frame turned either way).
        var radius = Math.Max(2, (int)Math.Round(Math.Min(Width, Height) / (options.TilesPerHeight * TileLayout.CellsPerSide)));
        _highPass = new BoxMeanFilter(Width, Height, radius);
    }

    /// <summary>The size frames are analysed at: the shorter side scaled to <see cref="WatermarkOptions.AnalysisShorterSide"/>
    /// where it is more than 15 % longer, else the frame's own size. By the shorter side, not the height, so a portrait
    /// frame (or a landscape clip turned a quarter) is read at the same detail as a landscape one.</summary>
    public static (int Width, int Height) AnalysisSize(int width, int height, WatermarkOptions options)
    {
        var limit = options.AnalysisShorterSide;
        var side = Math.Min(width, height);
        if (side <= limit * 1.15) return (width, height);
        return (Math.Max(1, (int)Math.Round((double)width * limit / side)), Math.Max(1, (int)Math.Round((double)height * limit / side)));
    }

    /// <summary>Reads one frame into <see cref="Residual"/> and <see cref="Energy"/>.</summary>
    public void Apply(ReadOnlySpan<byte> luma, int stride)
    {
        _resampler.Apply(luma, stride, _plane);
        _highPass.Apply(_plane, _smooth);
        SquaredResidual(_plane, _smooth, Residual);
        _highPass.Apply(_plane, Energy);
    }

    /// <summary>sum[i] += clamp(residual[i] / sqrt(max(energy[i], 4)), −3, 3): the last frame's normalised evidence (SIMD).
    /// The weight is about expected mark / noise: the mark grows with texture up to a cap (the mask), the host residual
    /// grows with texture, so flat and very busy areas both count less.</summary>
    public void AddEvidence(float[] sum)
    {
        var residual = Residual;
        var energy = Energy;
        var lanes = Vector<float>.Count;
        var floor = new Vector<float>(4f);
        var lo = new Vector<float>(-3f);
        var hi = new Vector<float>(3f);
        var i = 0;
        for (; i + lanes <= sum.Length; i += lanes)
        {
            var s = Vector.SquareRoot(Vector.Max(new Vector<float>(energy, i), floor));
            var v = Vector.Min(Vector.Max(new Vector<float>(residual, i) / s, lo), hi);
            (new Vector<float>(sum, i) + v).CopyTo(sum, i);
        }
        for (; i < sum.Length; i++)
        {
            var s = MathF.Sqrt(MathF.Max(energy[i], 4f));
            sum[i] += Math.Clamp(residual[i] / s, -3f, 3f);
        }
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
}
