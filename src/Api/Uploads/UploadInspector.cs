using System.Globalization;
using Microsoft.Extensions.Options;
using Provenance.Media;

namespace Provenance.Api.Uploads;

/// <summary>
/// Probes a stored upload with ffprobe before its job is queued: a file that is not a playable video, or a clip
/// longer than <see cref="UploadOptions.MaxDuration"/> (or over the other media limits), is refused at once with
/// 422 instead of occupying a worker. The upload is deleted when it is refused. Probes run under their own process
/// cap, so an upload never waits behind the long decodes of running scans for a slot.
/// </summary>
public sealed class UploadInspector(UploadStore uploads, IOptions<UploadOptions> options, IConfiguration configuration) : IDisposable
{
    private readonly FfmpegRunner _runner = new((configuration.GetSection(FfmpegOptions.ConfigurationSection).Get<FfmpegOptions>() ?? new FfmpegOptions())
        with { MaxConcurrentProcesses = 4 });

    /// <summary>The problem type's <c>reason</c> for a clip longer than the configured maximum.</summary>
    public const string TooLongReason = "duration-exceeded";

    /// <summary>The problem type's <c>reason</c> for an upload ffprobe cannot read as a video.</summary>
    public const string NotAVideoReason = "not-a-video";

    /// <summary>The problem type's <c>reason</c> for a video over another media limit (resolution, frame rate, frames).</summary>
    public const string LimitReason = "media-limit-exceeded";

    /// <summary>Returns the probe of an acceptable upload; throws <see cref="UploadRejectedException"/> (after deleting it) otherwise.</summary>
    public async Task<VideoProbe> InspectAsync(StoredUpload upload, CancellationToken ct)
    {
        try
        {
            return await ProbeAsync(upload, ct);
        }
        catch
        {
            uploads.Delete(upload.Path);
            throw;
        }
    }

    private async Task<VideoProbe> ProbeAsync(StoredUpload upload, CancellationToken ct)
    {
        var maxDuration = options.Value.MaxDuration;
        var configured = configuration.GetSection(MediaLimits.ConfigurationSection).Get<MediaLimits>() ?? MediaLimits.Default;
        // The duration is checked here, against the upload limit, so the answer can name it; the size was checked while streaming.
        var limits = configured with { MaxDuration = TimeSpan.MaxValue, MaxFileBytes = Math.Max(configured.MaxFileBytes, upload.Length) };
        VideoProbe probe;
        try
        {
            probe = await new VideoProber(_runner).ProbeAsync(upload.Path, limits, ct);
        }
        catch (MediaException e) when (e.Kind is MediaErrorKind.LimitExceeded)
        {
            throw new UploadRejectedException(422, "Video over a media limit", Strip(e.Message, upload.Path), LimitReason);
        }
        catch (MediaException e) when (e.Kind is MediaErrorKind.NotAVideo or MediaErrorKind.Corrupt or MediaErrorKind.Unsupported
            or MediaErrorKind.ToolFailed or MediaErrorKind.NotFound)
        {
            throw new UploadRejectedException(422, "Not a playable video",
                $"The upload could not be read as a video: {Strip(e.Message, upload.Path)}", NotAVideoReason);
        }
        catch (MediaException e) when (e.Kind is MediaErrorKind.Timeout or MediaErrorKind.ToolMissing)
        {
            throw new UploadRejectedException(503, "Media tools unavailable", "The upload could not be probed now; try again later.");
        }
        var duration = probe.Duration
            ?? (probe.FrameCount is { } frames && probe.FrameRate.IsValid ? TimeSpan.FromSeconds(frames / probe.FrameRate.ToDouble()) : null);
        if (duration is { } d && d > maxDuration)
        {
            throw new UploadRejectedException(422, "Clip too long",
                string.Create(CultureInfo.InvariantCulture,
                    $"The clip lasts {d.TotalSeconds:0.###} s; clips are limited to {maxDuration.TotalSeconds:0.###} s (Provenance:Uploads:MaxDuration)."),
                TooLongReason)
            {
                Extensions =
                {
                    ["durationSeconds"] = Math.Round(d.TotalSeconds, 3),
                    ["maxDurationSeconds"] = maxDuration.TotalSeconds,
                },
            };
        }
        return probe;
    }

    public void Dispose() => _runner.Dispose();

    /// <summary>Media messages name the stored file; the client only knows its own upload.</summary>
    private static string Strip(string message, string path) => message.Replace($"'{path}' ", "", StringComparison.Ordinal)
        .Replace(path, "the upload", StringComparison.Ordinal);
}
