using System.Text.RegularExpressions;

namespace Provenance.Media;

/// <summary>Checks an input path before a tool sees it and turns it into an unambiguous ffmpeg input URL.</summary>
internal static partial class MediaInput
{
    /// <summary>Protocols a tool may open for our inputs: local files only (no network, no nested URLs).</summary>
    public const string ProtocolWhitelist = "file";

    /// <summary>
    /// Resolves the path, throws <see cref="MediaException"/> NotFound / NotAVideo (empty) / LimitExceeded (size),
    /// and returns the full path and its length.
    /// </summary>
    public static (string FullPath, long Length) Check(string path, MediaLimits limits)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full;
        try
        {
            full = System.IO.Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new MediaException(MediaErrorKind.NotFound, $"'{path}' is not a valid path: {e.Message}", path, inner: e);
        }
        FileInfo info;
        try
        {
            info = new FileInfo(full);
            if (!info.Exists)
            {
                var what = Directory.Exists(full) ? "is a folder, not a file" : "does not exist";
                throw new MediaException(MediaErrorKind.NotFound, $"'{full}' {what}", full);
            }
            _ = info.Length;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MediaException(MediaErrorKind.NotFound, $"'{full}' cannot be read: {e.Message}", full, inner: e);
        }
        if (info.Length == 0)
        {
            throw new MediaException(MediaErrorKind.NotAVideo, $"'{full}' is empty (0 bytes) or not a regular file", full);
        }
        limits.CheckFileSize(full, info.Length);
        return (full, info.Length);
    }

    /// <summary>Input options that confine ffmpeg to local files and the allowed demuxers, then the input itself.</summary>
    public static IEnumerable<string> InputArguments(string fullPath, string allowedContainers)
    {
        yield return "-protocol_whitelist";
        yield return ProtocolWhitelist;
        if (!string.IsNullOrWhiteSpace(allowedContainers))
        {
            yield return "-format_whitelist";
            yield return allowedContainers;
        }
        yield return "-i";
        yield return Url(fullPath);
    }

    /// <summary>The ffmpeg input URL: the "file:" protocol makes names with ':' or a leading '-' safe.</summary>
    public static string Url(string fullPath) => "file:" + fullPath;

    /// <summary>Whether the file starts like an ISO BMFF (MP4/MOV) file, so a parse failure means damage rather than a non-video.</summary>
    public static bool LooksLikeBmff(string fullPath)
    {
        try
        {
            using var stream = File.OpenRead(fullPath);
            Span<byte> head = stackalloc byte[8];
            if (stream.ReadAtLeast(head, 8, throwOnEndOfStream: false) < 8)
            {
                return false;
            }
            var type = System.Text.Encoding.ASCII.GetString(head[4..]);
            return type is "ftyp" or "moov" or "mdat" or "free" or "skip" or "wide" or "pnot" or "uuid";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Maps a tool failure on an input to the most useful error kind from its stderr.</summary>
    public static MediaException Classify(string fullPath, string what, int exitCode, string stderrTail)
    {
        var kind = MediaErrorKind.ToolFailed;
        var reason = exitCode > 128 && exitCode < 160 && OperatingSystem.IsLinux()
            ? $"{what} was stopped by signal {exitCode - 128}"
            : $"{what} failed with exit code {exitCode}";
        if (Contains(stderrTail, "No such file or directory") || Contains(stderrTail, "Permission denied"))
        {
            kind = MediaErrorKind.NotFound;
            reason = "the file cannot be opened";
        }
        else if (Contains(stderrTail, "Picture size") && Contains(stderrTail, "is invalid"))
        {
            kind = MediaErrorKind.LimitExceeded;
            reason = "its header declares a picture larger than ffmpeg accepts";
        }
        else if (Contains(stderrTail, "Format not on whitelist"))
        {
            kind = MediaErrorKind.NotAVideo;
            var demuxer = DemuxerNamed().Match(stderrTail);
            reason = demuxer.Success ? $"it is a {demuxer.Groups[1].Value} file, not an accepted video container" : "its container is not an accepted video container";
        }
        else if (Contains(stderrTail, "moov atom not found"))
        {
            kind = LooksLikeBmff(fullPath) ? MediaErrorKind.Corrupt : MediaErrorKind.NotAVideo;
            reason = kind == MediaErrorKind.Corrupt ? "the MP4 is incomplete (no movie header; truncated?)" : "it is not a video file";
        }
        else if (Contains(stderrTail, "Invalid data found when processing input") && !LooksLikeBmff(fullPath))
        {
            kind = MediaErrorKind.NotAVideo;
            reason = "it is not a video file";
        }
        else if (DamageMarkers.Any(marker => Contains(stderrTail, marker)))
        {
            kind = MediaErrorKind.Corrupt;
            reason = "the video is damaged or truncated";
        }
        else if (Contains(stderrTail, "not supported") || Contains(stderrTail, "Unknown encoder") || Contains(stderrTail, "Decoder") && Contains(stderrTail, "not found"))
        {
            kind = MediaErrorKind.Unsupported;
            reason = "it uses a format this ffmpeg build cannot handle";
        }
        return new MediaException(kind, $"{what} of '{fullPath}': {reason}", fullPath, stderrTail);
    }

    /// <summary>What ffmpeg writes when the data it reads is damaged or cut short.</summary>
    private static readonly string[] DamageMarkers =
    [
        "partial file", "corrupt", "Invalid data", "error while decoding", "error reading header", "Error splitting the input",
        "Invalid NAL", "missing picture", "End of file", "Error marking filters as finished", "non-existing PPS", "no frame!",
        "decode_slice_header error", "Truncating packet", "Packet corrupt", "Error parsing",
    ];

    private static bool Contains(string text, string value) => text.Contains(value, StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"\[([^\s\]@]+) @ [^\]]*\] Format not on whitelist")]
    private static partial Regex DemuxerNamed();
}
