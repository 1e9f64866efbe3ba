using System.Security.Claims;
using System.Text.Json;
using Provenance.Api.Audit;
using Provenance.Api.Auth;
using Provenance.Api.Jobs;
using Provenance.Api.Scans;
using Provenance.Api.Uploads;
using Provenance.Generator.Backends;

namespace Provenance.Api.Generation;

/// <summary>
/// <c>/v1/generations</c> (prompt → stamped clip) and <c>/v1/stamps</c> (uploaded clip → stamped clip): jobs whose
/// result is a released clip and its receipt. A prompt the safety policy refuses is answered 422 with the reason code.
/// </summary>
public static class GenerationsApi
{
    public const string GenerationsPath = "/v1/generations";
    public const string StampsPath = "/v1/stamps";

    public static IEndpointRouteBuilder MapGenerationsApi(this IEndpointRouteBuilder app)
    {
        var generations = app.MapGroup(GenerationsPath).WithTags("Generations");
        generations.MapPost("", SubmitGenerationAsync)
            .RequireAuthorization(ApiKeyScopes.PolicyFor(ApiKeyScopes.Generate))
            .WithName("SubmitGeneration")
            .WithSummary("Queue a clip generation: {prompt, seconds, size, fps, seed}. Refused prompts answer 422 with the policy's reason code.")
            .Produces<JobAccepted>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        MapClipJobReads(generations, JobKind.Generation, GenerationsPath);

        var stamps = app.MapGroup(StampsPath).WithTags("Stamps");
        stamps.MapPost("", SubmitStampAsync)
            .RequireAuthorization(ApiKeyScopes.PolicyFor(ApiKeyScopes.Generate))
            .WithName("SubmitStamp")
            .WithSummary("Upload a clip made elsewhere (raw body or multipart) to be watermarked, signed and logged.")
            .WithDescription("The upload is probed before it is queued: not a playable video, or longer than Provenance:Uploads:MaxDuration, answers 422.")
            .Produces<JobAccepted>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        MapClipJobReads(stamps, JobKind.Stamp, StampsPath);
        return app;
    }

    private static void MapClipJobReads(RouteGroupBuilder group, string kind, string basePath)
    {
        group.MapGet("{id:guid}", async (Guid id, JobStore jobs, CancellationToken ct) =>
            await jobs.GetAsync(id, ct) is { } job && job.Kind == kind
                ? TypedResults.Ok(JobView.From(job, basePath))
                : NotFound(kind, id));
        group.MapGet("{id:guid}/clip", async (Guid id, JobStore jobs, CancellationToken ct) =>
            await ResultOf(jobs, id, kind, ct) is { } r && File.Exists(r.ClipPath)
                ? Results.File(r.ClipPath, "video/mp4", $"{kind}-{id:N}.mp4", enableRangeProcessing: true)
                : NotFound(kind, id, "has no released clip (yet)"));
        group.MapGet("{id:guid}/receipt", async (Guid id, JobStore jobs, CancellationToken ct) =>
            await ResultOf(jobs, id, kind, ct) is { } r
                ? TypedResults.Ok(r.Receipt)
                : NotFound(kind, id, "has no receipt (yet)"));
        group.MapDelete("{id:guid}", async (Guid id, ClaimsPrincipal user, JobStore jobs, AuditLog audit, CancellationToken ct) =>
            {
                if (await jobs.GetAsync(id, ct) is not { } job || job.Kind != kind)
                {
                    return NotFound(kind, id);
                }
                var status = await jobs.CancelAsync(id, ct);
                await audit.AppendAsync(user.KeyId() ?? "anonymous", $"{kind}.cancel", id.ToString(), null, ct);
                return TypedResults.Ok(new { id, status });
            })
            .RequireAuthorization(ApiKeyScopes.PolicyFor(ApiKeyScopes.Generate));
    }

    internal static async Task<IResult> SubmitGenerationAsync(HttpRequest request, string? callbackUrl, ClaimsPrincipal user,
        GenerationServices services, JobSubmission submission, AuditLog audit, CancellationToken ct)
    {
        if (CallbackUrls.Validate(callbackUrl) is { } callbackProblem)
        {
            return callbackProblem;
        }
        if (!(request.ContentType ?? "").StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Problem(statusCode: 415, title: "Unsupported media type", detail: "Send the request as application/json.");
        }
        GenerationJobInput? input;
        try
        {
            input = await JsonSerializer.DeserializeAsync<GenerationJobInput>(request.Body, JobStore.Json, ct);
        }
        catch (JsonException e)
        {
            return TypedResults.Problem(statusCode: 400, title: "Malformed JSON", detail: e.Message);
        }
        if (input is null || string.IsNullOrWhiteSpace(input.Prompt))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["prompt"] = ["A prompt is required."] });
        }
        try
        {
            var (w, h) = GenerationRequest.ParseSize(input.Size);
            new GenerationRequest(input.Prompt, input.Seed, w, h, input.Fps, input.Seconds).Validate();
        }
        catch (GenerationRequestException e)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["request"] = [e.Message] });
        }
        // A screen: a refusal is recorded and answered now; an allowance is recorded once, by the job's own check.
        var decision = await services.Safety.ScreenAsync(input.Prompt, user.KeyId(), ct);
        if (!decision.Allowed)
        {
            await audit.AppendAsync(user.KeyId() ?? "anonymous", "generation.refused", null, new { reason = decision.ReasonCode }, ct);
            return TypedResults.Problem(statusCode: 422, title: "Prompt refused by the safety policy",
                detail: $"The prompt was refused ({decision.ReasonCode}).",
                extensions: new Dictionary<string, object?> { ["reasonCode"] = decision.ReasonCode, ["category"] = decision.Category });
        }
        var id = await submission.EnqueueAsync(JobKind.Generation, input, user.KeyId(), callbackUrl, ct);
        await audit.AppendAsync(user.KeyId() ?? "anonymous", "generation.create", id.ToString(), new { input.Seconds, input.Size, input.Fps }, ct);
        var location = $"{GenerationsPath}/{id}";
        return TypedResults.Accepted(location, new JobAccepted(id, JobStatus.Queued, location));
    }

    internal static async Task<IResult> SubmitStampAsync(HttpRequest request, string? callbackUrl, ClaimsPrincipal user,
        UploadStore uploads, UploadInspector inspector, JobSubmission submission, AuditLog audit, CancellationToken ct)
    {
        if (CallbackUrls.Validate(callbackUrl) is { } callbackProblem)
        {
            return callbackProblem;
        }
        StoredUpload upload;
        try
        {
            ScansApi.AllowBody(request, uploads.Options.MaxBytes);
            upload = await uploads.SaveAsync(request, uploads.Options.MaxBytes, ct);
            await inspector.InspectAsync(upload, ct);
        }
        catch (UploadRejectedException e)
        {
            return e.ToProblem();
        }
        var input = new StampJobInput(upload.Path, upload.OriginalName, upload.Length, upload.Sha256);
        var id = await submission.EnqueueAsync(JobKind.Stamp, input, user.KeyId(), callbackUrl, ct);
        await audit.AppendAsync(user.KeyId() ?? "anonymous", "stamp.create", id.ToString(), new { bytes = upload.Length, sha256 = upload.Sha256 }, ct);
        var location = $"{StampsPath}/{id}";
        return TypedResults.Accepted(location, new JobAccepted(id, JobStatus.Queued, location));
    }

    private static async Task<ClipJobResult?> ResultOf(JobStore jobs, Guid id, string kind, CancellationToken ct) =>
        await jobs.GetAsync(id, ct) is { } job && job.Kind == kind && job.Status == JobStatus.Done && job.Result is { } result
            ? result.Deserialize<ClipJobResult>(JobStore.Json)
            : null;

    private static IResult NotFound(string kind, Guid id, string? what = null) =>
        TypedResults.Problem(statusCode: 404, title: $"No such {kind}", detail: what is null ? $"No {kind} job has id {id}." : $"The {kind} {id} {what}.");
}
