using System.Security.Claims;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Provenance.Api.Audit;
using Provenance.Api.Auth;
using Provenance.Api.Jobs;
using Provenance.Api.Uploads;

namespace Provenance.Api.Scans;

/// <summary><c>/v1/scans</c>: upload a video to scan (202 + job), poll its status, read its report.</summary>
public static class ScansApi
{
    public const string BasePath = "/v1/scans";

    public static IEndpointRouteBuilder MapScansApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(BasePath).WithTags("Scans");

        group.MapPost("", SubmitAsync)
            .RequireAuthorization(ApiKeyScopes.PolicyFor(ApiKeyScopes.Scan))
            .WithName("SubmitScan")
            .WithSummary("Upload a video and queue a scan.")
            .WithDescription("The body is the video itself (video/*, application/octet-stream; optional X-File-Name header) or a "
                + "multipart/form-data form with one file part. Query: callbackUrl (notified on completion), fps (sampling rate). "
                + "The upload is probed before it is queued: a file that is not a playable video, or a clip longer than "
                + "Provenance:Uploads:MaxDuration, answers 422 with reason not-a-video, duration-exceeded or media-limit-exceeded.")
            .Produces<JobAccepted>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        group.MapGet("{id:guid}", GetAsync)
            .WithName("GetScan")
            .WithSummary("Status of a scan; its ScanReport under 'report' once done.");

        group.MapDelete("{id:guid}", CancelAsync)
            .RequireAuthorization(ApiKeyScopes.PolicyFor(ApiKeyScopes.Scan))
            .WithName("CancelScan");
        return app;
    }

    internal static async Task<IResult> SubmitAsync(
        HttpRequest request, string? callbackUrl, double? fps, ClaimsPrincipal user,
        UploadStore uploads, UploadInspector inspector, AuditLog audit, JobSubmission submission, CancellationToken ct)
    {
        if (CallbackUrls.Validate(callbackUrl) is { } callbackProblem)
        {
            return callbackProblem;
        }
        if (fps is { } f && (f <= 0 || f > 60))
        {
            return TypedResults.Problem(statusCode: 400, title: "Bad sampling rate", detail: "fps must be in (0, 60].");
        }
        StoredUpload upload;
        try
        {
            AllowBody(request, uploads.Options.MaxBytes);
            upload = await uploads.SaveAsync(request, uploads.Options.MaxBytes, ct);
            await inspector.InspectAsync(upload, ct);
        }
        catch (UploadRejectedException e)
        {
            return e.ToProblem();
        }
        var keyId = user.KeyId();
        var input = new ScanJobInput(upload.Path, upload.OriginalName, upload.Length, upload.Sha256, fps);
        var id = await submission.EnqueueAsync(JobKind.Scan, input, keyId, callbackUrl, ct);
        await audit.AppendAsync(keyId ?? "anonymous", "scan.create", id.ToString(),
            new { bytes = upload.Length, sha256 = upload.Sha256 }, ct);
        var location = $"{BasePath}/{id}";
        return TypedResults.Accepted(location, new JobAccepted(id, JobStatus.Queued, location));
    }

    internal static async Task<IResult> GetAsync(Guid id, JobStore jobs, CancellationToken ct)
    {
        var job = await jobs.GetAsync(id, ct);
        return job is null || job.Kind != JobKind.Scan
            ? TypedResults.Problem(statusCode: 404, title: "No such scan", detail: $"No scan has id {id}.")
            : TypedResults.Ok(JobView.From(job, BasePath));
    }

    internal static async Task<IResult> CancelAsync(Guid id, ClaimsPrincipal user, JobStore jobs, AuditLog audit, CancellationToken ct)
    {
        var job = await jobs.GetAsync(id, ct);
        if (job is null || job.Kind != JobKind.Scan)
        {
            return TypedResults.Problem(statusCode: 404, title: "No such scan", detail: $"No scan has id {id}.");
        }
        var status = await jobs.CancelAsync(id, ct);
        await audit.AppendAsync(user.KeyId() ?? "anonymous", "scan.cancel", id.ToString(), null, ct);
        return TypedResults.Ok(new { id, status });
    }

    /// <summary>Lifts the server's default body cap for this request; the upload store enforces the real limit.</summary>
    internal static void AllowBody(HttpRequest request, long maxBytes)
    {
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = maxBytes + 1024 * 1024;
        }
    }
}

/// <summary>What a scan job needs: the stored upload and the sampling rate asked for.</summary>
public sealed record ScanJobInput(string UploadPath, string? OriginalName, long Length, string Sha256, double? Fps);
