namespace Provenance.Media;

/// <summary>Reads a <see cref="VideoProbe"/> from a file with ffprobe, bounded in time and checked against limits.</summary>
public sealed class VideoProber
{
    private readonly FfmpegRunner _runner;

    public VideoProber(FfmpegRunner runner) => _runner = runner ?? throw new ArgumentNullException(nameof(runner));

    /// <summary>
    /// Probes <paramref name="path"/>. Throws <see cref="MediaException"/> for a missing, empty, non-video, damaged
    /// or over-limit file, and when ffprobe is missing or takes longer than its time limit.
    /// </summary>
    public async Task<VideoProbe> ProbeAsync(string path, MediaLimits? limits, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        limits ??= MediaLimits.Default;
        var (full, length) = MediaInput.Check(path, limits);
        string[] arguments =
        [
            "-hide_banner", "-v", "error",
            "-print_format", "json", "-show_format", "-show_streams",
            .. MediaInput.InputArguments(full, limits.AllowedContainers),
        ];
        var options = new FfmpegStartOptions { Timeout = timeout ?? _runner.Options.ProbeTimeout, SubjectPath = full };
        var result = await _runner.RunAsync(FfmpegTool.Ffprobe, arguments, options, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw MediaInput.Classify(full, "ffprobe", result.ExitCode, result.StderrTail);
        }
        var probe = FfprobeJson.Parse(full, result.StandardOutput, length);
        limits.Check(probe);
        return probe;
    }
}
