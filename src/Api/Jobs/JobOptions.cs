namespace Provenance.Api.Jobs;

/// <summary>Worker settings (<c>Provenance:Jobs</c>).</summary>
public sealed class JobOptions
{
    /// <summary>Run workers inside the service process (default). Off when separate <c>provenance worker</c> processes run them.</summary>
    public bool InProcessWorkers { get; set; } = true;

    /// <summary>Jobs one process runs at once.</summary>
    public int Concurrency { get; set; } = 1;

    /// <summary>How long one attempt may run before it is abandoned and retried.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a claim lasts without a heartbeat; a worker that dies loses its jobs after this.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(30);

    public int MaxAttempts { get; set; } = 3;

    /// <summary>Pause between polls when no job is waiting.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);
}
