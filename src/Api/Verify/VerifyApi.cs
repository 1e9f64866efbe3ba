using System.Security.Claims;
using Provenance.Api.Audit;
using Provenance.Api.Auth;
using Provenance.Api.Scans;
using Provenance.Api.Uploads;
using Provenance.Signer.Verification;

namespace Provenance.Api.Verify;

/// <summary><c>POST /v1/verify</c>: a synchronous Content Credentials check of a small file.</summary>
public static class VerifyApi
{
    public static IEndpointRouteBuilder MapVerifyApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/verify", VerifyAsync)
            .RequireAuthorization(ApiKeyScopes.PolicyFor(ApiKeyScopes.Scan))
            .WithTags("Verify")
            .WithName("VerifyCredentials")
            .WithSummary("Verify a file's C2PA Content Credentials now (files up to Provenance:Uploads:MaxVerifyBytes).")
            .WithDescription("Body: the MP4/MOV itself or a multipart/form-data file part. Answer: {state, statuses[{code, url, explanation, kind}], activeManifest}.")
            .Produces<C2paValidationResult>()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        return app;
    }

    internal static async Task<IResult> VerifyAsync(HttpRequest request, ClaimsPrincipal user, UploadStore uploads, ServiceTrust trust,
        AuditLog audit, CancellationToken ct)
    {
        StoredUpload upload;
        try
        {
            ScansApi.AllowBody(request, uploads.Options.MaxVerifyBytes);
            upload = await uploads.SaveAsync(request, uploads.Options.MaxVerifyBytes, ct);
        }
        catch (UploadRejectedException e)
        {
            return e.ToProblem();
        }
        try
        {
            var result = await C2paVerifier.VerifyAsync(upload.Path, trust.Load(), ct);
            await audit.AppendAsync(user.KeyId() ?? "anonymous", "verify", upload.Sha256, new { state = result.State.ToString(), bytes = upload.Length }, ct);
            return TypedResults.Ok(result);
        }
        finally
        {
            uploads.Delete(upload.Path);
        }
    }
}
