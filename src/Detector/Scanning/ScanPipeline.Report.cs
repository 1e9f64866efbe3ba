using System.Diagnostics;
using System.Reflection;
using Provenance.Detector.Fusion;
using Provenance.Detector.Reports;
using Provenance.Detector.Sampling;
using Provenance.Media;

namespace Provenance.Detector.Scanning;

public sealed partial class ScanPipeline
{
    private static readonly string ProductVersion =
        typeof(ScanPipeline).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>Extra tool versions the host knows (ffmpeg, onnxruntime); merged into every report.</summary>
    public IReadOnlyDictionary<string, string> KnownToolVersions { get; init; } = new Dictionary<string, string>();

    private ScanReport ErrorReport(InputSection input, Dictionary<string, double> timings, Stopwatch total)
    {
        var evidence = ScanEvidence.NothingChecked(input, "the input could not be examined");
        timings["total"] = total.Elapsed.TotalMilliseconds;
        return ScanReports.Assemble(evidence, VerdictFusion.Decide(evidence), timings, ToolVersions());
    }

    private Dictionary<string, string> ToolVersions()
    {
        var versions = new Dictionary<string, string>(KnownToolVersions)
        {
            ["provenance"] = ProductVersion,
            ["scanReportSchema"] = ScanReport.CurrentSchemaVersion,
        };
        if (components.Classifier is { } c)
        {
            versions["model"] = c.ModelVersion;
        }
        return versions;
    }

    /// <summary>About how many frames the sampler will hand out (to spread the fingerprint queries over the clip).</summary>
    private int ExpectedFrames(VideoProbe probe) => probe.Duration is { } d && d > TimeSpan.Zero
        ? (int)Math.Clamp(Math.Ceiling(d.TotalSeconds * Options.SampleRate), 1, Options.MaxFrames)
        : Options.MaxFrames;

    private static InputSection InputOf(VideoProbe probe, SampledVideo video, string fileName) => new()
    {
        Status = CheckStatus.Checked,
        FileName = fileName,
        SizeBytes = probe.SizeBytes,
        Container = probe.Container,
        VideoCodec = probe.Codec,
        Width = probe.DisplayWidth,
        Height = probe.DisplayHeight,
        DurationSeconds = Math.Round(probe.Duration?.TotalSeconds ?? 0, 3),
        FrameRate = Math.Round(probe.FrameRate.ToDouble(), 3),
        FramesSampled = video.Frames.Count,
        SampleRate = video.SampleRate,
    };

    /// <summary>A sentence for a media error: what kind of problem, then ffmpeg's words.</summary>
    private static string Describe(MediaException e) => e.Kind switch
    {
        MediaErrorKind.NotFound => $"the file was not found ({e.Message})",
        MediaErrorKind.NotAVideo => $"not a video ({e.Message})",
        MediaErrorKind.Corrupt => $"the file is damaged or truncated ({e.Message})",
        MediaErrorKind.Unsupported => $"unsupported format or codec ({e.Message})",
        MediaErrorKind.Timeout => $"decoding took too long ({e.Message})",
        MediaErrorKind.LimitExceeded => $"over the scan limits ({e.Message})",
        _ => e.Message,
    };

    private static long SizeOf(string path)
    {
        try
        {
            return new FileInfo(path).Length;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return 0;
        }
    }
}
