using Provenance.Api.Jobs;
using Provenance.Api.Scans;

namespace Provenance.Api.Pages;

/// <summary>The web pages: <c>/</c> (upload), <c>/v1/scans/{id}/report.html</c> (the printable report).</summary>
public static class PagesApi
{
    public static IEndpointRouteBuilder MapPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => UploadPage.Render()).ExcludeFromDescription();
        app.MapGet($"{ScansApi.BasePath}/{{id:guid}}/report.html", async (Guid id, JobStore jobs, CancellationToken ct) =>
            {
                var job = await jobs.GetAsync(id, ct);
                return job is null || job.Kind != JobKind.Scan
                    ? PageLayout.Html("Not found", $"<h1>No such scan</h1><p>No scan has id {id}.</p>", 404)
                    : ReportPage.Render(job);
            })
            .WithTags("Scans").WithName("ScanReportPage").WithSummary("The scan report as a printable HTML page.");
        return app;
    }
}
