using Microsoft.Extensions.Options;

namespace Provenance.Api.Jobs;

/// <summary>
/// Claims jobs and runs them with their handler: heartbeats renew the lease and carry progress, a timeout bounds
/// each attempt, a cancellation asked through the API stops the handler.
/// </summary>
public sealed partial class JobWorker(
    JobStore store,
    IEnumerable<IJobHandler> handlers,
    IOptions<JobOptions> options,
    ILogger<JobWorker> logger) : BackgroundService
{
    private readonly Dictionary<string, IJobHandler> _handlers = handlers.ToDictionary(h => h.Kind);
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);
    private readonly string _workerId = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    /// <summary>Wakes idle workers at once (called after an enqueue in this process).</summary>
    public void Wake() => _wake.Release();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_handlers.Count == 0)
        {
            return;
        }
        var o = options.Value;
        var loops = Enumerable.Range(0, Math.Max(1, o.Concurrency)).Select(_ => LoopAsync(o, stoppingToken));
        await Task.WhenAll(loops);
    }

    private async Task LoopAsync(JobOptions o, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            ClaimedJob? job = null;
            try
            {
                job = await store.ClaimAsync(_workerId, _handlers.Keys, o.Lease, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogClaimFailed(e.Message);
            }
            if (job is null)
            {
                try
                {
                    await _wake.WaitAsync(o.PollInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                continue;
            }
            await RunAsync(job, o, stoppingToken);
        }
    }

    private async Task RunAsync(ClaimedJob job, JobOptions o, CancellationToken stoppingToken)
    {
        LogStarted(job.Id, job.Kind, job.Attempts);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        attempt.CancelAfter(o.Timeout);
        var progress = 0.0;
        string? stage = null;
        var cancelAsked = false;
        using var heartbeatStop = new CancellationTokenSource();
        var heartbeat = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(o.Lease / 3);
            try
            {
                while (await timer.WaitForNextTickAsync(heartbeatStop.Token))
                {
                    if (!await store.HeartbeatAsync(job, o.Lease, progress, stage, heartbeatStop.Token))
                    {
                        cancelAsked = true;
                        await attempt.CancelAsync();
                        return;
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (Exception e)
            {
                LogHeartbeatFailed(job.Id, e.Message);
            }
        }, CancellationToken.None);

        var context = new JobContext(job.Id, job.Input, job.Attempts, async (fraction, s) =>
        {
            progress = fraction;
            stage = s;
            await Task.CompletedTask;
        });
        try
        {
            var result = await _handlers[job.Kind].RunAsync(context, attempt.Token);
            await heartbeatStop.CancelAsync();
            await heartbeat;
            await store.CompleteAsync(job, result, CancellationToken.None);
            LogDone(job.Id);
        }
        catch (Exception e)
        {
            await heartbeatStop.CancelAsync();
            await heartbeat;
            if (cancelAsked && e is OperationCanceledException)
            {
                await store.MarkCancelledAsync(job, CancellationToken.None);
                LogCancelled(job.Id);
            }
            else if (stoppingToken.IsCancellationRequested && e is OperationCanceledException)
            {
                // Shutting down: leave the lease to expire so another worker picks the job up.
                LogAbandoned(job.Id);
            }
            else
            {
                var timedOut = e is OperationCanceledException && attempt.IsCancellationRequested;
                var message = timedOut ? $"attempt timed out after {o.Timeout}" : e.Message;
                var status = await store.FailAsync(job, message, retryable: e is not JobInputException, CancellationToken.None);
                LogFailed(job.Id, status ?? "?", message);
            }
        }
    }

    [LoggerMessage(EventId = 3100, Level = LogLevel.Information, Message = "Job {Id} ({Kind}) started, attempt {Attempt}")]
    private partial void LogStarted(Guid id, string kind, int attempt);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Job {Id} done")]
    private partial void LogDone(Guid id);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "Job {Id} failed, now {Status}: {Error}")]
    private partial void LogFailed(Guid id, string status, string error);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Information, Message = "Job {Id} cancelled")]
    private partial void LogCancelled(Guid id);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Information, Message = "Job {Id} left for another worker at shutdown")]
    private partial void LogAbandoned(Guid id);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Warning, Message = "Claiming jobs failed: {Error}")]
    private partial void LogClaimFailed(string error);

    [LoggerMessage(EventId = 3106, Level = LogLevel.Warning, Message = "Heartbeat of job {Id} failed: {Error}")]
    private partial void LogHeartbeatFailed(Guid id, string error);
}
