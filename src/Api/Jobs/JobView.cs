using System.Text.Json;

namespace Provenance.Api.Jobs;

/// <summary>A job as <c>GET /v1/scans/{id}</c> and friends show it: status, progress and, when done, the result.</summary>
public sealed record JobView(
    Guid Id,
    string Kind,
    string Status,
    double Progress,
    string? Stage,
    int Attempts,
    int MaxAttempts,
    string? Error,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? FinishedAt,
    JsonElement? Report,
    CallbackView? Callback,
    IReadOnlyDictionary<string, string> Links)
{
    public static JobView From(JobRecord job, string basePath)
    {
        var links = new Dictionary<string, string> { ["self"] = $"{basePath}/{job.Id}" };
        if (job.Kind == JobKind.Scan)
        {
            links["report.html"] = $"{basePath}/{job.Id}/report.html";
        }
        if (job.Kind is JobKind.Generation or JobKind.Stamp && job.Status == JobStatus.Done)
        {
            links["clip"] = $"{basePath}/{job.Id}/clip";
            links["receipt"] = $"{basePath}/{job.Id}/receipt";
        }
        return new JobView(job.Id, job.Kind, job.Status, Math.Round(job.Progress, 3), job.Stage, job.Attempts, job.MaxAttempts,
            job.Error, job.CreatedAt, job.UpdatedAt, job.FinishedAt, job.Status == JobStatus.Done ? job.Result : null,
            job.CallbackUrl is null ? null : new CallbackView(job.CallbackState, job.CallbackAttempts), links);
    }
}

/// <summary>A job's completion callback: its state (null until the job finishes, then pending, delivered or failed)
/// and how many delivery tries were made.</summary>
public sealed record CallbackView(string? State, int Attempts);

/// <summary>The answer to a job submission (202 Accepted).</summary>
public sealed record JobAccepted(Guid Id, string Status, string StatusUrl);
