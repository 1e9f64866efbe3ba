namespace Provenance.Media;

/// <summary>Which of the two ffmpeg programs to run.</summary>
public enum FfmpegTool
{
    Ffmpeg,
    Ffprobe,
}

/// <summary>How a tool process is started: which pipes are connected and how long it may run.</summary>
public sealed record FfmpegStartOptions
{
    /// <summary>Connect stdin so the caller can feed the tool (then <c>-nostdin</c> must not be used).</summary>
    public bool RedirectStandardInput { get; init; }

    /// <summary>Wall-clock limit for the whole run; the process tree is killed when it passes.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The file the run is about, quoted in errors.</summary>
    public string? SubjectPath { get; init; }
}

/// <summary>The outcome of a finished tool run whose stdout was captured.</summary>
public sealed record FfmpegResult(int ExitCode, byte[] StandardOutput, string StderrTail, TimeSpan Elapsed);
