using Microsoft.Extensions.Options;
using Provenance.Api.Jobs;

namespace Provenance.Api.Uploads;

/// <summary>Deletes uploaded media once its job has been finished for longer than the retention period; reports stay.</summary>
public sealed partial class UploadRetention(JobStore jobs, UploadStore uploads, IOptions<UploadOptions> options, ILogger<UploadRetention> logger)
    : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    /// <summary>One sweep; returns how many uploads were deleted.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var paths = await jobs.TakeExpiredMediaAsync(options.Value.Retention, ct);
        foreach (var path in paths)
        {
            try
            {
                uploads.Delete(path);
            }
            catch (IOException e)
            {
                LogDeleteFailed(e.Message);
            }
        }
        return paths.Count;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                var n = await SweepAsync(stoppingToken);
                if (n > 0)
                {
                    LogSwept(n);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogDeleteFailed(e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).AsTask().ContinueWith(t => !t.IsCanceled && t.Result, CancellationToken.None));
    }

    [LoggerMessage(EventId = 3300, Level = LogLevel.Information, Message = "Deleted {Count} uploads past retention")]
    private partial void LogSwept(int count);

    [LoggerMessage(EventId = 3301, Level = LogLevel.Warning, Message = "Deleting an upload failed: {Error}")]
    private partial void LogDeleteFailed(string error);
}
