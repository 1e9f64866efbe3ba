namespace Provenance.Api.Uploads;

/// <summary>Limits on uploads and how long their media is kept (<c>Provenance:Uploads</c>).</summary>
public sealed class UploadOptions
{
    /// <summary>Largest accepted upload; larger ones are refused with 413 before or while streaming.</summary>
    public long MaxBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>Longest accepted clip, checked with ffprobe before the job is queued.</summary>
    public TimeSpan MaxDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Largest file <c>POST /v1/verify</c> checks synchronously.</summary>
    public long MaxVerifyBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>An upload slower than this (after a grace period) is cut off.</summary>
    public double MinBytesPerSecond { get; set; } = 4096;

    /// <summary>Grace period before the minimum rate applies.</summary>
    public TimeSpan MinRateGrace { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long uploaded media is kept once its job finished; reports are kept.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(24);
}
