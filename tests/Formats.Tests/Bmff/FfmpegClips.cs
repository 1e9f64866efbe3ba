using System.Diagnostics;

namespace Provenance.Formats.Tests.Bmff;

/// <summary>Small clips made with the real ffmpeg into a temp folder, once per test class.</summary>
public sealed class FfmpegClips : IDisposable
{
    public static readonly IReadOnlyDictionary<string, string[]> Variants = new Dictionary<string, string[]>
    {
        ["mp4"] = ["-movflags", "+use_metadata_tags"],
        ["faststart.mp4"] = ["-movflags", "+faststart"],
        ["fragmented.mp4"] = ["-movflags", "frag_keyframe+empty_moov+default_base_moof"],
        ["fragmented-base-offsets.mp4"] = ["-movflags", "frag_keyframe+empty_moov"],
        ["sidx.mp4"] = ["-movflags", "frag_keyframe+empty_moov+default_base_moof+global_sidx"],
        ["mov"] = [],
    };

    public FfmpegClips()
    {
        Folder = Directory.CreateTempSubdirectory("provenance-formats-").FullName;
        foreach (var (name, flags) in Variants)
        {
            var path = Path.Combine(Folder, "clip." + name);
            Run([
                "-hide_banner", "-nostdin", "-loglevel", "error",
                "-f", "lavfi", "-i", "testsrc2=size=96x64:rate=15",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=16000",
                "-t", "2", "-c:v", "libx264", "-g", "8", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "32k",
                .. flags, "-y", path,
            ]);
        }
    }

    public string Folder { get; }

    public string PathOf(string variant) => Path.Combine(Folder, "clip." + variant);

    /// <summary>ffmpeg's per-frame checksums of every stream of a file.</summary>
    public static string FrameChecksums(string path) =>
        Run(["-hide_banner", "-nostdin", "-loglevel", "error", "-i", path, "-map", "0", "-f", "framemd5", "-"]);

    public static string Run(IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo("ffmpeg")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("ffmpeg did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("ffmpeg took over 60 s");
        }
        process.WaitForExit();
        if (process.ExitCode != 0 || stderr.Result.Length > 0)
            throw new InvalidOperationException($"ffmpeg exited {process.ExitCode}: {stderr.Result[^Math.Min(2000, stderr.Result.Length)..]}");
        return stdout.Result;
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
