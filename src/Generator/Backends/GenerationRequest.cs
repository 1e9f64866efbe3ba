namespace Provenance.Generator.Backends;

/// <summary>
/// What a caller asks a backend to make. <see cref="Validate"/> enforces <see cref="GenerationLimits"/>
/// before any work starts.
/// </summary>
/// <param name="Prompt">The text prompt (already allowed by the safety policy).</param>
/// <param name="Seed">Same prompt + seed gives the same frames, byte for byte, for deterministic backends.</param>
public sealed record GenerationRequest(string Prompt, ulong Seed, int Width, int Height, int Fps, double Seconds)
{
    /// <summary>Who asked (caller identity or job id), written on the safety decision's audit line; not part of the clip.</summary>
    public string? AuditSubject { get; init; }

    /// <summary>Number of frames the clip will hold: seconds x fps, rounded, at least one.</summary>
    public int FrameCount => Math.Max(1, (int)Math.Round(Seconds * Fps, MidpointRounding.AwayFromZero));

    public double FrameDurationSeconds => 1.0 / Fps;

    /// <summary>Throws <see cref="GenerationRequestException"/> when the request exceeds a limit.</summary>
    public GenerationRequest Validate()
    {
        GenerationLimits.Check(this);
        return this;
    }

    /// <summary>Parses a size such as <c>1920x1080</c>.</summary>
    public static (int Width, int Height) ParseSize(string size)
    {
        var parts = size.Trim().ToLowerInvariant().Split('x');
        if (parts.Length != 2 || !int.TryParse(parts[0], out var w) || !int.TryParse(parts[1], out var h))
        {
            throw new GenerationRequestException($"size '{size}' is not WIDTHxHEIGHT");
        }
        return (w, h);
    }
}

/// <summary>The bounds every generation request must respect.</summary>
public static class GenerationLimits
{
    public const double MaxSeconds = 60.0;

    /// <summary>Longest side in pixels (landscape 1920x1080 or portrait 1080x1920).</summary>
    public const int MaxLongSide = 1920;

    public const int MaxShortSide = 1080;

    public const int MinSide = 16;

    public const int MaxPromptLength = 2000;

    public static IReadOnlyList<int> FrameRates { get; } = [24, 25, 30];

    public static void Check(GenerationRequest r)
    {
        ArgumentNullException.ThrowIfNull(r);
        if (string.IsNullOrWhiteSpace(r.Prompt))
        {
            throw new GenerationRequestException("prompt is empty");
        }
        if (r.Prompt.Length > MaxPromptLength)
        {
            throw new GenerationRequestException($"prompt is longer than {MaxPromptLength} characters");
        }
        if (r.Width % 2 != 0 || r.Height % 2 != 0)
        {
            throw new GenerationRequestException($"size {r.Width}x{r.Height} must have even width and height (yuv420p)");
        }
        if (Math.Min(r.Width, r.Height) < MinSide
            || Math.Max(r.Width, r.Height) > MaxLongSide
            || Math.Min(r.Width, r.Height) > MaxShortSide)
        {
            throw new GenerationRequestException($"size {r.Width}x{r.Height} is outside {MinSide}..1920x1080 (either orientation)");
        }
        if (!FrameRates.Contains(r.Fps))
        {
            throw new GenerationRequestException($"frame rate {r.Fps} is not one of {string.Join(", ", FrameRates)}");
        }
        if (!double.IsFinite(r.Seconds) || r.Seconds <= 0 || r.Seconds > MaxSeconds)
        {
            throw new GenerationRequestException($"duration {r.Seconds} s is outside (0, {MaxSeconds}] s");
        }
    }
}

/// <summary>A generation request that breaks a limit or cannot be served; the message says which.</summary>
public sealed class GenerationRequestException(string message) : Exception(message);
