using Microsoft.Extensions.DependencyInjection;
using Provenance.Api.Jobs;
using Provenance.Api.Tests.Infrastructure;

namespace Provenance.Api.Tests.Jobs;

public sealed class JobStoreTests : IClassFixture<JobStoreTests.NoWorkerFactory>
{
    private readonly NoWorkerFactory _service;

    public JobStoreTests(NoWorkerFactory service) => _service = service;

    public sealed class NoWorkerFactory : ServiceFactory
    {
        public NoWorkerFactory() => Settings["Provenance:Jobs:InProcessWorkers"] = "false";
    }

    private JobStore Store => _service.Services.GetRequiredService<JobStore>();

    private static readonly string[] Kinds = [JobKind.Generation];

    /// <summary>Each test claims only its own job kind's jobs: generation jobs enqueued here, one at a time.</summary>
    private async Task<Guid> EnqueueAsync(int maxAttempts)
    {
        var id = await Store.EnqueueAsync(JobKind.Generation, new { test = true }, null, null, maxAttempts, CancellationToken.None);
        return id;
    }

    private async Task<ClaimedJob> ClaimOwnAsync(Guid id, string worker, TimeSpan lease)
    {
        for (var i = 0; i < 100; i++)
        {
            var claimed = await Store.ClaimAsync(worker, Kinds, lease, CancellationToken.None);
            if (claimed?.Id == id)
            {
                return claimed;
            }
            if (claimed is not null)
            {
                await Store.FailAsync(claimed, "not this test's job", retryable: false, CancellationToken.None);
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("the job was never claimable");
    }

    [Fact]
    public async Task JobWhoseWorkerDies_IsClaimedAgainAfterItsLease_ThenDeadLettered()
    {
        var id = await EnqueueAsync(maxAttempts: 2);
        var lease = TimeSpan.FromMilliseconds(400);

        var first = await ClaimOwnAsync(id, "worker-a", lease);
        Assert.Equal(1, first.Attempts);
        // worker-a dies: no heartbeat, no completion. Its lease runs out and worker-b takes the job.
        var second = await ClaimOwnAsync(id, "worker-b", lease);
        Assert.Equal(2, second.Attempts);
        Assert.False(await Store.CompleteAsync(first, new { late = true }, CancellationToken.None), "a worker that lost its lease must not complete the job");

        // worker-b dies too: with no attempts left the job is dead-lettered, never lost.
        await Task.Delay(lease * 2);
        Assert.Null(await Store.ClaimAsync("worker-c", Kinds, lease, CancellationToken.None) is { } c && c.Id == id ? c : null);
        var job = await Store.GetAsync(id, CancellationToken.None);
        Assert.NotNull(job);
        Assert.Equal(JobStatus.Dead, job.Status);
        Assert.Contains("worker lost", job.Error);
        Assert.NotNull(job.FinishedAt);
    }

    [Fact]
    public async Task RetryableFailure_IsQueuedAgainWithBackoff_ThenDeadAfterLastAttempt()
    {
        var id = await EnqueueAsync(maxAttempts: 2);
        var claimed = await ClaimOwnAsync(id, "w", TimeSpan.FromSeconds(30));
        Assert.Equal(JobStatus.Queued, await Store.FailAsync(claimed, "transient", retryable: true, CancellationToken.None));
        var queued = await Store.GetAsync(id, CancellationToken.None);
        Assert.Equal(JobStatus.Queued, queued!.Status);
        Assert.Equal("transient", queued.Error);

        var again = await ClaimOwnAsync(id, "w", TimeSpan.FromSeconds(30)); // after the 2 s backoff
        Assert.Equal(2, again.Attempts);
        Assert.Equal(JobStatus.Dead, await Store.FailAsync(again, "still failing", retryable: true, CancellationToken.None));
    }

    [Fact]
    public async Task InputFailure_EndsAsFailedWithoutRetry()
    {
        var id = await EnqueueAsync(maxAttempts: 5);
        var claimed = await ClaimOwnAsync(id, "w", TimeSpan.FromSeconds(30));
        Assert.Equal(JobStatus.Failed, await Store.FailAsync(claimed, "not a video", retryable: false, CancellationToken.None));
        var job = await Store.GetAsync(id, CancellationToken.None);
        Assert.Equal(JobStatus.Failed, job!.Status);
        Assert.Equal(1, job.Attempts);
    }

    [Fact]
    public async Task Heartbeat_RecordsProgress_AndReportsCancellation()
    {
        var id = await EnqueueAsync(maxAttempts: 1);
        var claimed = await ClaimOwnAsync(id, "w", TimeSpan.FromSeconds(30));
        Assert.True(await Store.HeartbeatAsync(claimed, TimeSpan.FromSeconds(30), 0.5, "decoding", CancellationToken.None));
        var running = await Store.GetAsync(id, CancellationToken.None);
        Assert.Equal(0.5, running!.Progress, 3);
        Assert.Equal("decoding", running.Stage);

        Assert.Equal(JobStatus.Running, await Store.CancelAsync(id, CancellationToken.None));
        Assert.False(await Store.HeartbeatAsync(claimed, TimeSpan.FromSeconds(30), 0.6, null, CancellationToken.None));
        await Store.MarkCancelledAsync(claimed, CancellationToken.None);
        Assert.Equal(JobStatus.Cancelled, (await Store.GetAsync(id, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task CancellingAQueuedJob_EndsItAtOnce()
    {
        var id = await EnqueueAsync(maxAttempts: 1);
        Assert.Equal(JobStatus.Cancelled, await Store.CancelAsync(id, CancellationToken.None));
        Assert.Null(await Store.ClaimAsync("w", Kinds, TimeSpan.FromSeconds(1), CancellationToken.None) is { } c && c.Id == id ? c : null);
    }
}
