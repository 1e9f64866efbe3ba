using System.Text.Json;

namespace Provenance.Api.Jobs;

/// <summary>Runs one kind of job. Throw <see cref="JobInputException"/> for input that can never succeed (no retry);
/// any other exception is retried with backoff until the job's attempts are spent.</summary>
public interface IJobHandler
{
    string Kind { get; }

    Task<object> RunAsync(JobContext context, CancellationToken ct);
}

/// <summary>What a handler sees of its job: its id, input and a way to report progress.</summary>
public sealed class JobContext(Guid id, JsonElement input, int attempt, Func<double, string, Task> reportProgress)
{
    public Guid Id { get; } = id;

    public JsonElement Input { get; } = input;

    public int Attempt { get; } = attempt;

    /// <summary>Records progress (0..1) and the current stage; visible in the job's status.</summary>
    public Task ReportProgressAsync(double fraction, string stage) => reportProgress(fraction, stage);
}

/// <summary>The job's input cannot succeed, however often it is retried (not a video, too large, ...).</summary>
public sealed class JobInputException(string message, Exception? inner = null) : Exception(message, inner);
