namespace Provenance.Watermark;

/// <summary>Tunable strength and decision settings of the classical watermark.</summary>
public sealed record WatermarkOptions
{
    /// <summary>Largest luma change (8-bit levels) in fully textured areas; flat areas get close to none.</summary>
    public double Strength { get; init; } = 8.0;

    /// <summary>Distortion budget per frame: the expected luma mean squared error the mark may add (2.5 ≈ PSNR 44.2 dB before
    /// rounding); frames whose mask would exceed it get a proportionally weaker mark. Set for host feedback, whose cells of
    /// little amplitude mostly round to no change: with it the mark alone measures 44.1-44.6 dB where the budget binds
    /// (without feedback 2.2 gave 44.2-44.4 dB; 2.5 without feedback would go below 44 dB).</summary>
    public double MaximumMeanSquaredError { get; init; } = 2.5;

    /// <summary>Local texture (luma standard deviation in a 4x4 block, eroded over its neighbours) below which no
    /// mark is added.</summary>
    public double MaskFloor { get; init; } = 0.5;

    /// <summary>Local texture at which full strength is reached.</summary>
    public double MaskFull { get; init; } = 3.0;

    /// <summary>Smallest mask value anywhere the picture is not flat: low-texture content (soft real footage, rendered
    /// scenes) still carries this fraction of the strength. Areas whose texture is below <see cref="FlatTexture"/>, or
    /// whose coarse-scale texture is below <see cref="FlatCoarseTexture"/> (flat fills, smooth ramps), do not.</summary>
    public double MaskMinimum { get; init; } = 0.5;

    /// <summary>Texture (the larger of the two scales) below which an area counts as flat and gets no minimum.</summary>
    public double FlatTexture { get; init; } = 0.6;

    /// <summary>Coarse-scale texture below which an area also counts as flat, whatever its fine-scale texture (steep
    /// 8-bit ramps, whose rounding reads like grain at full resolution).</summary>
    public double FlatCoarseTexture { get; init; } = 0.2;

    /// <summary>Texture read at the pattern's own scale (relative to the frame height; frames of about 1080 lines and
    /// more), counting only second differences that change sign unevenly nearby, at or above which an area also gets
    /// <see cref="MaskMinimum"/>: soft footage upscaled to a large frame. Infinity turns the reading off.</summary>
    public double FlatRelativeTexture { get; init; } = 0.25;

    /// <summary>Largest factor by which a frame whose mask leaves the distortion budget unused is strengthened
    /// (1 = never strengthen; the budget still caps every frame).</summary>
    public double BudgetBoostLimit { get; init; } = 1.0;

    /// <summary>Share λ of the picture's persistent push on each cell that the embedder cancels (informed embedding, see
    /// <c>HostFeedback</c>): it reads its own marked frames and gives cells the picture works against more amplitude and
    /// cells it already helps less. 0 turns the feedback off (every cell at amplitude 1).</summary>
    public double HostCancellation { get; init; } = 1.0;

    /// <summary>Regions whose cells host feedback tunes separately (see <c>FeedbackRegions</c>): 1 = the whole frame;
    /// 2 = the centred 80 % of the width and height and the ring around it, so a crop of 10 % per side keeps exactly the
    /// cancellation of the part it shows; 3 = also a centre of 55 %. Each region's cells cancel their own push.</summary>
    public int FeedbackRegions { get; init; } = 2;

    /// <summary>Largest amplitude of one cell under host feedback, relative to the plain pattern (the distortion
    /// budget then scales the whole frame).</summary>
    public double CellAmplitudeLimit { get; init; } = 2.0;

    /// <summary>Tiles per frame height: cell size = height / (TilesPerHeight x 17). Fewer tiles mean larger cells,
    /// a lower-frequency pattern that survives compression and downscaling better.</summary>
    public double TilesPerHeight { get; init; } = 5.0;

    /// <summary>Frames smaller than this (either side) are left unmarked and cannot be analysed.</summary>
    public int MinimumFrameSide { get; init; } = 96;

    /// <summary>The shorter side frames are analysed at (the height of a landscape frame, the width of a portrait one);
    /// larger frames are downscaled to it before extraction, aspect kept.</summary>
    public int AnalysisShorterSide { get; init; } = 360;

    /// <summary>Sampling rate the extractor is designed for.</summary>
    public double AnalysisFramesPerSecond { get; init; } = 8.0;

    /// <summary>Detection threshold on the p-value.</summary>
    public double PValueThreshold { get; init; } = 1e-9;

    /// <summary>Smallest and largest tile period searched, relative to the analysed frame height's nominal period
    /// (covers crops down to this fraction of the height and letterboxing up to the upper bound).</summary>
    public double MinimumScale { get; init; } = 0.45;

    public double MaximumScale { get; init; } = 1.4;

    /// <summary>Picture orientations the synchronisation tries; upright is always tried (each multiplies the hypotheses counted in the
    /// p-value). Mirrored re-uploads are common, and so are landscape clips turned a quarter to fill a portrait screen;
    /// every flip and turn is checked on a folded tile (the quarter turns on one folded along the width), so each extra
    /// orientation adds one shift search per scale, not a second pass over the frames.</summary>
    public WatermarkOrientations SearchOrientations { get; init; } = WatermarkOrientations.Upright | WatermarkOrientations.Mirrored
        | WatermarkOrientations.TurnedClockwise | WatermarkOrientations.TurnedCounterclockwise;

    /// <summary>Multiplicative step between scale hypotheses.</summary>
    public double ScaleStep { get; init; } = 1.004;

    /// <summary>Length of a timeline segment (doubled as needed to keep at most <see cref="MaximumSegments"/>).</summary>
    public double SegmentSeconds { get; init; } = 2.0;

    public int MaximumSegments { get; init; } = 64;

    public static WatermarkOptions Default { get; } = new();
}
