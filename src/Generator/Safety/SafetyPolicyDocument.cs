using System.Text.Json;
using System.Text.Json.Serialization;

namespace Provenance.Generator.Safety;

/// <summary>
/// The policy file as written (JSON). Rules are checked in file order; the first that fires decides.
/// A rule fires when any of its <c>terms</c> matches, or when every group of <c>allOf</c> has a match
/// (e.g. a minor term together with a sexual term). <c>@name</c> in a term list includes the named
/// <c>sets</c> entry. <c>except</c> phrases switch a rule off for prompts that contain them.
/// The real-person names may live in the file (<c>people.names</c>) and/or in a text file beside it
/// (<c>people.namesFile</c>, one name per line, # for comments).
/// </summary>
public sealed class SafetyPolicyDocument
{
    public string Name { get; set; } = "unnamed";

    public string? Description { get; set; }

    public Dictionary<string, List<string>> Sets { get; set; } = [];

    public List<PolicyRuleDocument> Rules { get; set; } = [];

    public PeoplePolicyDocument? People { get; set; }

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };
}

/// <summary>One rule of the policy file.</summary>
public sealed class PolicyRuleDocument
{
    public string Id { get; set; } = "";

    public string Category { get; set; } = "";

    public string Code { get; set; } = "";

    public List<string> Terms { get; set; } = [];

    public List<List<string>> AllOf { get; set; } = [];

    public List<string> Except { get; set; } = [];
}

/// <summary>The real-person likeness rule: names of people who may not be depicted.</summary>
public sealed class PeoplePolicyDocument
{
    public string Id { get; set; } = "likeness-real-person";

    public string Category { get; set; } = "likeness";

    public string Code { get; set; } = "likeness.real-person";

    public List<string> Names { get; set; } = [];

    public string? NamesFile { get; set; }
}

/// <summary>A policy file that cannot be read or breaks the format; the message says where.</summary>
public sealed class SafetyPolicyException(string message, Exception? inner = null) : Exception(message, inner);
