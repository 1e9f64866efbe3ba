using System.Text.Json;

namespace Provenance.Api.Jobs;

/// <summary>The states a job moves through. <c>failed</c>: it ran and cannot succeed (bad input);
/// <c>dead</c>: it kept failing or its workers kept dying, and retries are exhausted.</summary>
public static class JobStatus
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Done = "done";
    public const string Failed = "failed";
    public const string Dead = "dead";
    public const string Cancelled = "cancelled";
}

/// <summary>Where a job's completion callback stands: <c>pending</c> (to be tried, or retried after a backoff),
/// <c>delivered</c> (the receiver answered 2xx), <c>failed</c> (every try failed; the job keeps its own status).</summary>
public static class CallbackState
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Failed = "failed";
}

public static class JobKind
{
    public const string Scan = "scan";
    public const string Generation = "generation";
    public const string Stamp = "stamp";
}

/// <summary>One row of the job table, as the API shows it.</summary>
public sealed record JobRecord(
    Guid Id,
    string Kind,
    string Status,
    string? OwnerKeyId,
    JsonElement Input,
    JsonElement? Result,
    string? Error,
    double Progress,
    string? Stage,
    int Attempts,
    int MaxAttempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? FinishedAt,
    string? CallbackUrl,
    string? CallbackState,
    int CallbackAttempts);

/// <summary>A job a worker holds, with the lease that proves it still holds it.</summary>
public sealed record ClaimedJob(Guid Id, string Kind, JsonElement Input, int Attempts, int MaxAttempts, string WorkerId);
