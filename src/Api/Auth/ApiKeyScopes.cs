namespace Provenance.Api.Auth;

/// <summary>What a key may do. <c>admin</c> includes the others.</summary>
public static class ApiKeyScopes
{
    public const string Scan = "scan";
    public const string Generate = "generate";
    public const string Admin = "admin";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Scan, Generate, Admin };

    public static string PolicyFor(string scope) => "scope:" + scope;
}
