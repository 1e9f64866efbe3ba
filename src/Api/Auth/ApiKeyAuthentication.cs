using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Provenance.Api.Auth;

/// <summary>
/// <c>Authorization: Bearer pvk_…</c>. A missing or unknown key answers 401, a key without the endpoint's
/// scope 403, both as problem details.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyStore keys) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string KeyIdClaim = "provenance:key_id";
    public const string ScopeClaim = "provenance:scope";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            || !ApiKeySecret.TryParse(header["Bearer ".Length..].Trim(), out var presented))
        {
            return AuthenticateResult.Fail("The Authorization header does not hold an API key.");
        }
        var key = await keys.AuthenticateAsync(presented, Context.RequestAborted);
        if (key is null)
        {
            return AuthenticateResult.Fail("Unknown or revoked API key.");
        }
        var claims = new List<Claim> { new(KeyIdClaim, key.KeyId), new(ClaimTypes.Name, key.Name) };
        claims.AddRange(key.Scopes.Select(s => new Claim(ScopeClaim, s)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure?.Message;
        await Results.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: "API key required",
            detail: failure ?? "Send a key as 'Authorization: Bearer <key>' (create one with 'provenance apikey create').")
            .ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Results.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            title: "Scope missing",
            detail: "This API key does not have the scope this endpoint needs.")
            .ExecuteAsync(Context);
}

public static class ApiKeyPrincipal
{
    public static string? KeyId(this ClaimsPrincipal user) => user.FindFirst(ApiKeyAuthenticationHandler.KeyIdClaim)?.Value;
}
