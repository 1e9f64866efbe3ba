namespace Provenance.Api.Health;

/// <summary>What <c>/readyz</c> and <c>provenance doctor</c> report: every fact the service needs before it takes work.</summary>
public sealed record ReadinessReport(
    bool Ready,
    DateTimeOffset CheckedAt,
    DatabaseFacts Database,
    MediaFacts Media,
    InferenceFacts Inference,
    IReadOnlyList<string> Problems);

public sealed record DatabaseFacts(
    bool Reachable,
    bool Embedded,
    string? Server,
    bool MigrationsApplied,
    IReadOnlyList<string> AppliedMigrations,
    IReadOnlyList<string> PendingMigrations,
    string? Error);

public sealed record MediaFacts(
    bool Available,
    string? FfmpegVersion,
    string? FfprobeVersion,
    string VideoEncoder,
    bool NvencWorks,
    bool NvdecWorks,
    string? Error);

public sealed record InferenceFacts(
    bool Available,
    string? OnnxRuntimeVersion,
    string? ExecutionProvider,
    IReadOnlyList<string> AvailableProviders,
    bool GpuPresent,
    string? FallbackReason,
    string? Error);
