using System.Text;
using System.Text.RegularExpressions;

namespace Provenance.Media;

/// <summary>The trial runs behind <see cref="HardwareCapabilities.DetectAsync"/>.</summary>
internal static partial class HardwareDetection
{
    private static readonly TimeSpan TrialTimeout = TimeSpan.FromSeconds(30);

    public static async Task<HardwareCapabilities> RunAsync(FfmpegRunner runner, CancellationToken cancellationToken)
    {
        string ffmpegVersion, ffprobeVersion;
        try
        {
            ffmpegVersion = await VersionAsync(runner, FfmpegTool.Ffmpeg, cancellationToken).ConfigureAwait(false);
            ffprobeVersion = await VersionAsync(runner, FfmpegTool.Ffprobe, cancellationToken).ConfigureAwait(false);
        }
        catch (MediaException e)
        {
            return new HardwareCapabilities { Available = false, Error = e.Message };
        }
        var encoders = await ListAsync(runner, "-encoders", cancellationToken).ConfigureAwait(false);
        var decoders = await ListAsync(runner, "-decoders", cancellationToken).ConfigureAwait(false);
        var hwaccels = await HardwareAccelerationsAsync(runner, cancellationToken).ConfigureAwait(false);
        string? nvencProblem = null, nvdecProblem = null;
        if (!encoders.Contains(VideoEncoders.Nvenc))
        {
            nvencProblem = "this ffmpeg has no h264_nvenc encoder";
        }
        else
        {
            nvencProblem = await TrialAsync(runner,
                ["-f", "lavfi", "-i", "testsrc2=s=256x256:r=25:d=0.2", "-frames:v", "5", "-c:v", VideoEncoders.Nvenc, "-f", "null", "-"],
                cancellationToken).ConfigureAwait(false);
        }
        if (!hwaccels.Contains("cuda"))
        {
            nvdecProblem = "this ffmpeg has no cuda hardware acceleration";
        }
        else
        {
            nvdecProblem = await NvdecTrialAsync(runner, cancellationToken).ConfigureAwait(false);
        }
        return new HardwareCapabilities
        {
            Available = true,
            FfmpegVersion = ffmpegVersion,
            FfprobeVersion = ffprobeVersion,
            Encoders = HardwareCapabilities.InterestingCodecs.Where(encoders.Contains).ToArray(),
            Decoders = HardwareCapabilities.InterestingCodecs.Where(decoders.Contains).ToArray(),
            HardwareAccelerations = hwaccels,
            NvencWorks = nvencProblem is null,
            NvdecWorks = nvdecProblem is null,
            NvencProblem = nvencProblem,
            NvdecProblem = nvdecProblem,
        };
    }

    private static async Task<string> VersionAsync(FfmpegRunner runner, FfmpegTool tool, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(tool, ["-hide_banner", "-version"], new FfmpegStartOptions { Timeout = TrialTimeout }, cancellationToken).ConfigureAwait(false);
        var text = Encoding.UTF8.GetString(result.StandardOutput);
        var match = VersionLine().Match(text);
        if (result.ExitCode != 0 || !match.Success)
        {
            throw new MediaException(MediaErrorKind.ToolMissing, $"{tool} -version failed (exit code {result.ExitCode})", stderrTail: result.StderrTail);
        }
        return match.Groups[1].Value;
    }

    private static async Task<HashSet<string>> ListAsync(FfmpegRunner runner, string what, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(FfmpegTool.Ffmpeg, ["-hide_banner", "-nostdin", what], new FfmpegStartOptions { Timeout = TrialTimeout }, cancellationToken).ConfigureAwait(false);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in Encoding.UTF8.GetString(result.StandardOutput).Split('\n'))
        {
            // " V....D libx264              libx264 H.264 / AVC ..." : flags, then the name.
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 2 && parts[0].Length == 6 && parts[0] != "------")
            {
                names.Add(parts[1]);
            }
        }
        return names;
    }

    private static async Task<IReadOnlyList<string>> HardwareAccelerationsAsync(FfmpegRunner runner, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(FfmpegTool.Ffmpeg, ["-hide_banner", "-nostdin", "-hwaccels"], new FfmpegStartOptions { Timeout = TrialTimeout }, cancellationToken).ConfigureAwait(false);
        return Encoding.UTF8.GetString(result.StandardOutput)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.Length > 0 && !line.Contains(':'))
            .ToArray();
    }

    /// <summary>Runs ffmpeg with the arguments; null when it exits 0, else the reason it failed.</summary>
    private static async Task<string?> TrialAsync(FfmpegRunner runner, IReadOnlyList<string> trial, CancellationToken cancellationToken)
    {
        var arguments = new List<string> { "-hide_banner", "-nostdin", "-nostats", "-v", "error" };
        arguments.AddRange(trial);
        try
        {
            var result = await runner.RunAsync(FfmpegTool.Ffmpeg, arguments, new FfmpegStartOptions { Timeout = TrialTimeout }, cancellationToken).ConfigureAwait(false);
            if (result.ExitCode == 0)
            {
                return null;
            }
            return $"trial failed (exit code {result.ExitCode}): {Cause(result.StderrTail)}";
        }
        catch (MediaException e)
        {
            return $"trial failed: {e.Message}";
        }
    }

    private static async Task<string?> NvdecTrialAsync(FfmpegRunner runner, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("provenance-nvdec-");
        try
        {
            var clip = Path.Combine(folder.FullName, "trial.mp4");
            var made = await TrialAsync(runner,
                ["-f", "lavfi", "-i", "testsrc2=s=256x256:r=25:d=0.2", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-y", clip],
                cancellationToken).ConfigureAwait(false);
            if (made is not null)
            {
                return "could not make the trial clip: " + made;
            }
            return await TrialAsync(runner,
                ["-hwaccel", "cuda", "-hwaccel_output_format", "cuda", "-i", clip, "-f", "null", "-"],
                cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            try
            {
                folder.Delete(recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>The first stderr line names the cause (e.g. "Cannot load libcuda.so.1"); the last says what failed.</summary>
    private static string Cause(string stderrTail)
    {
        var lines = stderrTail.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length == 0)
        {
            return "no message";
        }
        var text = lines.Length == 1 ? lines[0] : $"{lines[0]} / {lines[^1]}";
        return text.Length <= 300 ? text : text[..300];
    }

    [GeneratedRegex(@"version\s+(\S+)")]
    private static partial Regex VersionLine();
}
