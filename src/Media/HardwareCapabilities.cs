using System.Collections.Concurrent;
using System.Text;

namespace Provenance.Media;

/// <summary>
/// What the installed ffmpeg can do on this machine, found by asking it (versions, codec lists) and by tiny
/// trial runs (NVENC encode, NVDEC decode), never assumed. Detected once per ffmpeg path and cached.
/// </summary>
public sealed record HardwareCapabilities
{
    /// <summary>Encoders and decoders worth reporting.</summary>
    public static readonly IReadOnlyList<string> InterestingCodecs = ["libx264", "h264_nvenc", "hevc_nvenc", "libx265", "libsvtav1", "libvpx-vp9", "h264_cuvid", "hevc_cuvid"];

    private static readonly ConcurrentDictionary<string, Task<HardwareCapabilities>> Cache = new();

    /// <summary>Whether both ffmpeg and ffprobe ran.</summary>
    public required bool Available { get; init; }

    /// <summary>ffmpeg's version string, e.g. "5.1.9-0+deb12u1".</summary>
    public string? FfmpegVersion { get; init; }

    public string? FfprobeVersion { get; init; }

    /// <summary>Which of <see cref="InterestingCodecs"/> ffmpeg lists as encoders.</summary>
    public IReadOnlyList<string> Encoders { get; init; } = [];

    /// <summary>Which of <see cref="InterestingCodecs"/> ffmpeg lists as decoders.</summary>
    public IReadOnlyList<string> Decoders { get; init; } = [];

    /// <summary>Hardware acceleration methods ffmpeg was built with (e.g. "cuda", "vaapi").</summary>
    public IReadOnlyList<string> HardwareAccelerations { get; init; } = [];

    /// <summary>Whether a trial H.264 encode with h264_nvenc succeeded.</summary>
    public bool NvencWorks { get; init; }

    /// <summary>Whether a trial H.264 decode with <c>-hwaccel cuda</c> succeeded.</summary>
    public bool NvdecWorks { get; init; }

    /// <summary>Why NVENC is not used, when it is not.</summary>
    public string? NvencProblem { get; init; }

    /// <summary>Why NVDEC is not used, when it is not.</summary>
    public string? NvdecProblem { get; init; }

    /// <summary>Why the tools are unavailable, when they are.</summary>
    public string? Error { get; init; }

    /// <summary>The H.264 encoder the frame sink picks by default: h264_nvenc when it works, else libx264.</summary>
    public string H264Encoder => NvencWorks ? VideoEncoders.Nvenc : VideoEncoders.Libx264;

    public bool HasEncoder(string name) => Encoders.Contains(name, StringComparer.Ordinal);

    /// <summary>Detects (once per ffmpeg path; later calls return the cached answer). Never throws for a missing tool: see <see cref="Available"/>.</summary>
    public static Task<HardwareCapabilities> DetectAsync(FfmpegRunner runner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runner);
        var key = runner.Options.FfmpegPath + "\n" + runner.Options.FfprobePath;
        var task = Cache.GetOrAdd(key, _ => HardwareDetection.RunAsync(runner, CancellationToken.None));
        if (task.IsFaulted || task.IsCanceled)
        {
            // A detection that broke (e.g. its runner was disposed mid-way) is not an answer: try again.
            Cache.TryRemove(new KeyValuePair<string, Task<HardwareCapabilities>>(key, task));
            task = Cache.GetOrAdd(key, _ => HardwareDetection.RunAsync(runner, CancellationToken.None));
        }
        return task.WaitAsync(cancellationToken);
    }

    /// <summary>Forgets cached answers (after installing drivers, or in tests).</summary>
    public static void ClearCache() => Cache.Clear();

    /// <summary>A one-line summary for logs.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(Available ? $"ffmpeg {FfmpegVersion}" : $"ffmpeg unavailable ({Error})");
        text.Append($"; H.264 encoder {H264Encoder}; NVENC {(NvencWorks ? "works" : "no")}; NVDEC {(NvdecWorks ? "works" : "no")}");
        return text.ToString();
    }
}

/// <summary>Names of the H.264 encoders the frame sink can use.</summary>
public static class VideoEncoders
{
    public const string Libx264 = "libx264";
    public const string Nvenc = "h264_nvenc";
}
