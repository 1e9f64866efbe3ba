namespace Provenance.Watermark;

/// <summary>
/// Marks decoded frames one at a time. An instance is bound to one key and one payload at construction and
/// keeps no frame history, so it can sit inside a streaming encode pipeline (frames of any size and rate).
/// </summary>
public interface IWatermarkEmbedder
{
    /// <summary>Adds the mark to an 8-bit luma plane (the Y of yuv420p) in place.</summary>
    void Embed(Span<byte> luma, int width, int height, int stride, long frameIndex);
}

/// <summary>
/// Reads a mark from decoded frames: feed sampled frames with <see cref="Accumulate"/>, then ask for
/// <see cref="Result"/>. Soft evidence is aggregated across frames, so dropped or reordered frames do not matter.
/// </summary>
public interface IWatermarkExtractor
{
    /// <summary>The frame size and sampling rate the extractor works best with (callers may decode to it).</summary>
    WatermarkAnalysisProfile PreferredAnalysis { get; }

    /// <summary>Adds the evidence of one luma plane. All frames of one extraction must have the same size.</summary>
    void Accumulate(ReadOnlySpan<byte> luma, int width, int height, int stride, long frameIndex, double timestampSeconds);

    /// <summary>Decides from the evidence gathered so far.</summary>
    WatermarkDetection Result();
}

/// <summary>Picture orientations relative to the marked frames (flags: the extractor's search set; one value: what
/// a detection found).</summary>
[Flags]
public enum WatermarkOrientations
{
    /// <summary>As marked.</summary>
    Upright = 1,

    /// <summary>Mirrored left to right (ffmpeg <c>hflip</c>).</summary>
    Mirrored = 2,

    /// <summary>Turned by 180° (<c>hflip,vflip</c>).</summary>
    UpsideDown = 4,

    /// <summary>Mirrored top to bottom (<c>vflip</c>).</summary>
    MirroredUpsideDown = 8,

    /// <summary>Turned a quarter clockwise (<c>transpose=clock</c>): a landscape clip shown upright on a phone held
    /// sideways.</summary>
    TurnedClockwise = 16,

    /// <summary>Turned a quarter counter-clockwise (<c>transpose=cclock</c>).</summary>
    TurnedCounterclockwise = 32,

    /// <summary>Mirrored across the main diagonal, rows becoming columns (<c>transpose=cclock_flip</c>).</summary>
    Transposed = 64,

    /// <summary>Mirrored across the other diagonal (<c>transpose=clock_flip</c>).</summary>
    AntiTransposed = 128,

    /// <summary>The flips and the 180° turn, which keep the picture's shape.</summary>
    Flips = Upright | Mirrored | UpsideDown | MirroredUpsideDown,

    /// <summary>Every turn and flip of the square tile (the quarter turns swap width and height).</summary>
    All = Flips | TurnedClockwise | TurnedCounterclockwise | Transposed | AntiTransposed,
}

public static class WatermarkOrientationNames
{
    /// <summary>The name reports and the CLI use: upright, mirrored, upside-down, mirrored-upside-down,
    /// turned-clockwise, turned-counterclockwise, transposed, anti-transposed.</summary>
    public static string Name(this WatermarkOrientations orientation) => orientation switch
    {
        WatermarkOrientations.Mirrored => "mirrored",
        WatermarkOrientations.UpsideDown => "upside-down",
        WatermarkOrientations.MirroredUpsideDown => "mirrored-upside-down",
        WatermarkOrientations.TurnedClockwise => "turned-clockwise",
        WatermarkOrientations.TurnedCounterclockwise => "turned-counterclockwise",
        WatermarkOrientations.Transposed => "transposed",
        WatermarkOrientations.AntiTransposed => "anti-transposed",
        _ => "upright",
    };
}

/// <summary>What an extractor wants to be fed: luma frames whose shorter side is scaled down to <paramref name="ShorterSide"/>
/// (aspect kept; a portrait frame is read as finely as a landscape one, so a quarter-turned copy keeps its cells), at
/// this rate.</summary>
public sealed record WatermarkAnalysisProfile(int ShorterSide, double FramesPerSecond)
{
    /// <summary>The size to decode a width x height clip at: its own where the shorter side is at most
    /// <see cref="ShorterSide"/>, else scaled down to it (aspect kept, even sides).</summary>
    public (int Width, int Height) FrameSize(int width, int height)
    {
        var side = Math.Min(width, height);
        if (side <= ShorterSide) return (width, height);
        static int Even(double v) => Math.Max(2, (int)Math.Round(v / 2) * 2);
        return (Even((double)width * ShorterSide / side), Even((double)height * ShorterSide / side));
    }
}

/// <summary>Evidence for the mark in one stretch of the clip (for a timeline).</summary>
/// <param name="StartSeconds">Timestamp of the first frame of the stretch.</param>
/// <param name="EndSeconds">Timestamp of the last frame of the stretch.</param>
/// <param name="Score">Detection statistic of the stretch alone at the synchronisation found for the whole clip
/// (about N(0,1) when the stretch is unmarked; larger is stronger evidence).</param>
/// <param name="PValue">Probability that an unmarked stretch scores at least this high at that synchronisation.</param>
/// <param name="Frames">Frames that fell into the stretch.</param>
public sealed record WatermarkSegment(double StartSeconds, double EndSeconds, double Score, double PValue, int Frames);

/// <summary>The outcome of one extraction.</summary>
/// <param name="Found">True only when the payload's check bits verify AND <see cref="PValue"/> ≤ the decision threshold.</param>
/// <param name="Payload">The 64-bit asset id when found, else null.</param>
/// <param name="PValue">Probability that unmarked video (or video marked under another key) yields a detection at
/// least this strong, after correction for every synchronisation hypothesis tried.</param>
/// <param name="FramesUsed">Frames whose evidence was aggregated.</param>
/// <param name="SyncScore">The synchronisation statistic (normalised correlation of the pilot cells).</param>
/// <param name="RawBitAgreement">Fraction of coded bits whose soft value agrees with the re-encoded best candidate
/// (about 0.5 when nothing is there, 1.0 for a clean read).</param>
/// <param name="CandidatePayload">The decoder's best guess, reported even when it does not verify (for analysis only;
/// never treat it as an identification).</param>
/// <param name="Scale">Tile period relative to the analysed frame height at the synchronisation found
/// (1 = uncropped; 0.8 after a 10% crop per side).</param>
/// <param name="Segments">Per-stretch evidence along the clip.</param>
/// <param name="Note">Why nothing could be decided, when the input was unusable (too small, no frames); else null.</param>
public sealed record WatermarkDetection(
    bool Found,
    ulong? Payload,
    double PValue,
    int FramesUsed,
    double SyncScore,
    double RawBitAgreement,
    ulong? CandidatePayload,
    double Scale,
    IReadOnlyList<WatermarkSegment> Segments,
    string? Note)
{
    /// <summary>How the picture was turned relative to the marked frames at the synchronisation found (a mirrored
    /// re-upload reads as <see cref="WatermarkOrientations.Mirrored"/>).</summary>
    public WatermarkOrientations Orientation { get; init; } = WatermarkOrientations.Upright;

    /// <summary>The payload as 16 lowercase hex digits, or null when not found.</summary>
    public string? PayloadHex => Payload is { } p ? WatermarkPayload.ToHex(p) : null;

    /// <summary>A result for input that could not be analysed.</summary>
    public static WatermarkDetection Unusable(int framesUsed, string note) =>
        new(false, null, 1.0, framesUsed, 0, 0, null, 0, [], note);
}
