using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.RateLimiting;

namespace Provenance.Api.Auth;

/// <summary>Rate limits per key (<c>Provenance:RateLimit</c>): a token bucket per API key, or per client address without one.</summary>
public sealed class RateLimitOptions
{
    public int PermitsPerMinute { get; set; } = 120;

    public int Burst { get; set; } = 30;
}

public static class AuthRegistration
{
    public static IServiceCollection AddApiKeyAuth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<ApiKeyStore>();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder().AddScopePolicies();

        var limits = configuration.GetSection("Provenance:RateLimit").Get<RateLimitOptions>() ?? new RateLimitOptions();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var partition = context.User.KeyId() is { } key ? "key:" + key : "ip:" + context.Connection.RemoteIpAddress;
                return RateLimitPartition.GetTokenBucketLimiter(partition, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = Math.Max(1, limits.Burst),
                    TokensPerPeriod = Math.Max(1, limits.PermitsPerMinute),
                    ReplenishmentPeriod = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            o.OnRejected = async (context, ct) =>
            {
                var retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after)
                    ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds))
                    : (int)Math.Ceiling(60.0 / Math.Max(1, limits.PermitsPerMinute));
                context.HttpContext.Response.Headers.RetryAfter = retry.ToString(CultureInfo.InvariantCulture);
                await Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests",
                    detail: $"Rate limit of {limits.PermitsPerMinute} requests per minute reached; retry after {retry} s.")
                    .ExecuteAsync(context.HttpContext);
            };
        });
        return services;
    }

    private static AuthorizationBuilder AddScopePolicies(this AuthorizationBuilder builder)
    {
        foreach (var scope in ApiKeyScopes.All)
        {
            builder.AddPolicy(ApiKeyScopes.PolicyFor(scope), p => p
                .RequireAuthenticatedUser()
                .RequireAssertion(c => c.User.HasClaim(ApiKeyAuthenticationHandler.ScopeClaim, scope)
                    || c.User.HasClaim(ApiKeyAuthenticationHandler.ScopeClaim, ApiKeyScopes.Admin)));
        }
        return builder;
    }
}
