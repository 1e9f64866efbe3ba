using System.Globalization;
using System.Text.Json;

namespace Provenance.Media;

/// <summary>
/// Turns ffprobe's JSON (<c>-print_format json -show_format -show_streams</c>) into a <see cref="VideoProbe"/>.
/// Reads defensively: every field may be missing or of the wrong type; only <see cref="MediaException"/> escapes.
/// </summary>
public static class FfprobeJson
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 16, CommentHandling = JsonCommentHandling.Disallow };

    /// <summary>Parses ffprobe output about <paramref name="path"/>; <paramref name="fileSize"/> is used when the format omits it.</summary>
    public static VideoProbe Parse(string path, ReadOnlyMemory<byte> json, long fileSize)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new MediaException(MediaErrorKind.ToolFailed, $"ffprobe wrote unreadable JSON for '{path}': {e.Message}", path, inner: e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new MediaException(MediaErrorKind.ToolFailed, $"ffprobe JSON for '{path}' is not an object", path);
            }
            var format = Property(root, "format");
            var streams = Property(root, "streams");
            JsonElement? video = null;
            var hasAudio = false;
            if (streams is { ValueKind: JsonValueKind.Array } list)
            {
                foreach (var stream in list.EnumerateArray())
                {
                    var type = String(stream, "codec_type");
                    if (type == "audio")
                    {
                        hasAudio = true;
                    }
                    else if (type == "video" && video is null && !IsAttachedPicture(stream))
                    {
                        video = stream;
                    }
                }
            }
            if (format is null && streams is null)
            {
                throw new MediaException(MediaErrorKind.NotAVideo, $"'{path}' is not a media file ffprobe can read", path);
            }
            if (video is not { } v)
            {
                var what = hasAudio ? "it has audio only" : "it has no video stream";
                throw new MediaException(MediaErrorKind.NotAVideo, $"'{path}' is not a video: {what}", path);
            }
            var width = Integer(v, "width") ?? 0;
            var height = Integer(v, "height") ?? 0;
            if (width <= 0 || height <= 0 || width > int.MaxValue || height > int.MaxValue)
            {
                throw new MediaException(MediaErrorKind.Corrupt, $"'{path}' has a video stream without a usable size ({width}x{height})", path);
            }
            var rate = Rational.Parse(String(v, "avg_frame_rate"));
            if (!rate.IsValid)
            {
                rate = Rational.Parse(String(v, "r_frame_rate"));
            }
            var duration = Seconds(format, "duration") ?? Seconds(v, "duration");
            var frames = Integer(v, "nb_frames");
            return new VideoProbe
            {
                Path = path,
                Container = (format is { } f ? String(f, "format_name") : null) ?? "unknown",
                Duration = duration,
                Width = (int)width,
                Height = (int)height,
                FrameRate = rate,
                FrameCount = frames is > 0 ? frames : null,
                Codec = String(v, "codec_name") ?? "unknown",
                PixelFormat = String(v, "pix_fmt"),
                Rotation = Rotation(v),
                HasAudio = hasAudio,
                BitRate = (format is { } fb ? Integer(fb, "bit_rate") : null) ?? Integer(v, "bit_rate"),
                SizeBytes = (format is { } fs ? Integer(fs, "size") : null) ?? fileSize,
                VideoStreamIndex = (int)(Integer(v, "index") ?? 0),
            };
        }
    }

    private static bool IsAttachedPicture(JsonElement stream)
        => Property(stream, "disposition") is { } d && Integer(d, "attached_pic") == 1;

    private static int Rotation(JsonElement stream)
    {
        double? degrees = null;
        if (Property(stream, "side_data_list") is { ValueKind: JsonValueKind.Array } sideData)
        {
            foreach (var item in sideData.EnumerateArray())
            {
                if (Number(item, "rotation") is { } r)
                {
                    degrees = r;
                    break;
                }
            }
        }
        if (degrees is null && Property(stream, "tags") is { } tags)
        {
            degrees = Number(tags, "rotate");
        }
        if (degrees is not { } value || double.IsNaN(value) || double.IsInfinity(value))
        {
            return 0;
        }
        var quarter = (long)Math.Round(value / 90.0) % 4;
        return (int)((quarter + 4) % 4 * 90);
    }

    private static JsonElement? Property(JsonElement element, string name)
        => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static string? String(JsonElement element, string name)
        => Property(element, name) is { } value ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        } : null;

    private static double? Number(JsonElement element, string name)
    {
        if (Property(element, name) is not { } value)
        {
            return null;
        }
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var d))
        {
            return d;
        }
        if (value.ValueKind == JsonValueKind.String
            && double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
        {
            return parsed;
        }
        return null;
    }

    private static long? Integer(JsonElement element, string name)
        => Number(element, name) is { } d && d is > -9e18 and < 9e18 ? (long)d : null;

    private static TimeSpan? Seconds(JsonElement? element, string name)
        => element is { } e && Number(e, name) is { } s && s >= 0 && s < TimeSpan.MaxValue.TotalSeconds / 2 && !double.IsNaN(s)
            ? TimeSpan.FromSeconds(s)
            : null;
}
