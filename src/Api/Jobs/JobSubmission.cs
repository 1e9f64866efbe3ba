using Microsoft.Extensions.Options;

namespace Provenance.Api.Jobs;

/// <summary>Queues a job and wakes this process's workers, if it runs any.</summary>
public sealed class JobSubmission(JobStore store, IOptions<JobOptions> options, IServiceProvider services)
{
    public async Task<Guid> EnqueueAsync(string kind, object input, string? ownerKeyId, string? callbackUrl, CancellationToken ct)
    {
        var id = await store.EnqueueAsync(kind, input, ownerKeyId, callbackUrl, options.Value.MaxAttempts, ct);
        services.GetService<JobWorker>()?.Wake();
        return id;
    }
}
