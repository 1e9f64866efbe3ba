namespace Provenance.Api.Jobs;

/// <summary>Checks a callback URL given with a job: absolute http(s), bounded length.</summary>
public static class CallbackUrls
{
    public static IResult? Validate(string? url)
    {
        if (url is null)
        {
            return null;
        }
        if (url.Length > 2000 || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
            || !string.IsNullOrEmpty(uri.UserInfo))
        {
            return TypedResults.Problem(statusCode: 400, title: "Bad callback URL",
                detail: "callbackUrl must be an absolute http or https URL without credentials, at most 2000 characters.");
        }
        return null;
    }
}
