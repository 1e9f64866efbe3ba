namespace Provenance.Api.Health;

/// <summary><c>/healthz</c> (the process is alive) and <c>/readyz</c> (it can take work: 200, else 503 with the reasons).</summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Ok(new { status = "alive" }))
            .WithName("Liveness").WithTags("Health").DisableRateLimiting();

        app.MapGet("/readyz", async Task<IResult> (ReadinessProbe probe, CancellationToken ct) =>
            {
                var report = await probe.CheckAsync(ct);
                return report.Ready
                    ? TypedResults.Ok(report)
                    : TypedResults.Json(report, statusCode: StatusCodes.Status503ServiceUnavailable);
            })
            .WithName("Readiness").WithTags("Health").DisableRateLimiting()
            .Produces<ReadinessReport>(StatusCodes.Status200OK)
            .Produces<ReadinessReport>(StatusCodes.Status503ServiceUnavailable);
        return app;
    }
}
