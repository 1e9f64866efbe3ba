namespace Provenance.Media;

/// <summary>Where the ffmpeg tools are and how many may run at once. Bound from configuration section "Provenance:Ffmpeg".</summary>
public sealed record FfmpegOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string ConfigurationSection = "Provenance:Ffmpeg";

    /// <summary>The ffmpeg executable: a path or a name looked up on PATH.</summary>
    public string FfmpegPath { get; init; } = "ffmpeg";

    /// <summary>The ffprobe executable: a path or a name looked up on PATH.</summary>
    public string FfprobePath { get; init; } = "ffprobe";

    /// <summary>Most ffmpeg/ffprobe processes running at the same time; further runs wait for a slot.</summary>
    public int MaxConcurrentProcesses { get; init; } = Math.Max(2, Environment.ProcessorCount);

    /// <summary>Time limit for a short tool run (probe, capability trial) when the caller gives none.</summary>
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Time limit for a decode or encode run when the caller gives none.</summary>
    public TimeSpan TranscodeTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>How many bytes of stderr are kept for error messages.</summary>
    public int StderrTailBytes { get; init; } = 4096;
}
