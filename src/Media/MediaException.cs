namespace Provenance.Media;

/// <summary>What went wrong when a media file or the ffmpeg tools were used.</summary>
public enum MediaErrorKind
{
    /// <summary>The input file does not exist or cannot be opened.</summary>
    NotFound,
    /// <summary>The input is not a video: empty, not a media container, or no video stream.</summary>
    NotAVideo,
    /// <summary>The input looks like a video but is damaged (truncated, bad headers, undecodable data).</summary>
    Corrupt,
    /// <summary>The input or the requested operation uses something this build cannot handle.</summary>
    Unsupported,
    /// <summary>The ffmpeg run took longer than its time limit.</summary>
    Timeout,
    /// <summary>ffmpeg or ffprobe is not installed or cannot be started.</summary>
    ToolMissing,
    /// <summary>The input exceeds a configured limit (size, resolution, duration, frame count).</summary>
    LimitExceeded,
    /// <summary>ffmpeg failed for a reason not covered by the other kinds (see the stderr tail).</summary>
    ToolFailed,
}

/// <summary>
/// The one exception type the media layer lets escape: a kind, a message that says what happened to which
/// file, and the last lines ffmpeg/ffprobe wrote on stderr.
/// </summary>
public sealed class MediaException : Exception
{
    public MediaException(MediaErrorKind kind, string message, string? path = null, string? stderrTail = null, Exception? inner = null)
        : base(Compose(message, stderrTail), inner)
    {
        Kind = kind;
        Path = path;
        StderrTail = stderrTail ?? string.Empty;
    }

    /// <summary>The failure source.</summary>
    public MediaErrorKind Kind { get; }

    /// <summary>The file the failure is about, when there is one.</summary>
    public string? Path { get; }

    /// <summary>The last lines the tool wrote on stderr (empty when it wrote none or never ran).</summary>
    public string StderrTail { get; }

    private static string Compose(string message, string? stderrTail)
    {
        if (string.IsNullOrWhiteSpace(stderrTail))
        {
            return message;
        }
        var tail = stderrTail.Trim();
        var lastLine = tail[(tail.LastIndexOf('\n') + 1)..];
        return $"{message} (ffmpeg: {lastLine})";
    }
}
