using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Provenance.Generator.Safety;

/// <summary>
/// A compiled, immutable safety policy. <see cref="Evaluate"/> normalises the prompt once and checks the
/// rules in order. <see cref="Version"/> is the SHA-256 of the policy bytes (and names list), recorded in
/// every audit line so a decision can be traced to the exact policy that made it.
/// </summary>
public sealed class SafetyPolicy
{
    private const string DefaultResource = "Provenance.Generator.Safety.default-policy.json";

    private readonly IReadOnlyList<CompiledRule> _rules;

    private SafetyPolicy(string name, string version, IReadOnlyList<CompiledRule> rules, IReadOnlyList<string> sourceFiles)
    {
        Name = name;
        Version = version;
        _rules = rules;
        SourceFiles = sourceFiles;
    }

    /// <summary>Files the policy was read from (policy file, names file); empty for the shipped default.</summary>
    public IReadOnlyList<string> SourceFiles { get; private init; }

    public string Name { get; }

    /// <summary>First 16 hex digits of the SHA-256 of the policy source.</summary>
    public string Version { get; }

    public int RuleCount => _rules.Count;

    public IReadOnlyList<string> Categories => _rules.Select(r => r.Category).Distinct().ToList();

    public IReadOnlyList<string> ReasonCodes => _rules.Select(r => r.Code).Distinct().ToList();

    /// <summary>The policy shipped inside the assembly.</summary>
    public static SafetyPolicy Default { get; } = LoadDefault();

    /// <summary>The default policy's JSON, e.g. to write out as a starting point for a custom policy.</summary>
    public static string DefaultPolicyJson()
    {
        using var stream = typeof(SafetyPolicy).Assembly.GetManifestResourceStream(DefaultResource)
            ?? throw new SafetyPolicyException($"embedded resource {DefaultResource} is missing");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>Loads a policy file; a relative <c>namesFile</c> is resolved beside it.</summary>
    public static SafetyPolicy Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SafetyPolicyException($"cannot read policy file {path}: {e.Message}", e);
        }
        var policy = Parse(bytes, Path.GetDirectoryName(Path.GetFullPath(path)));
        return new SafetyPolicy(policy.Name, policy.Version, policy._rules, [Path.GetFullPath(path), .. policy.SourceFiles]);
    }

    /// <summary>Parses policy JSON; <paramref name="baseDirectory"/> resolves a relative names file.</summary>
    public static SafetyPolicy Parse(byte[] json, string? baseDirectory)
    {
        SafetyPolicyDocument document;
        try
        {
            document = JsonSerializer.Deserialize<SafetyPolicyDocument>(json, SafetyPolicyDocument.Json)
                ?? throw new SafetyPolicyException("policy file is empty");
        }
        catch (JsonException e)
        {
            throw new SafetyPolicyException($"policy file is not valid: {e.Message}", e);
        }
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(json);
        var sources = new List<string>();
        var rules = new List<CompiledRule>();
        foreach (var rule in document.Rules)
        {
            rules.Add(Compile(rule, document.Sets));
        }
        if (document.People is { } people)
        {
            var names = new List<string>(people.Names);
            if (people.NamesFile is { } file)
            {
                var path = Path.GetFullPath(Path.IsPathRooted(file) ? file : Path.Combine(baseDirectory ?? ".", file));
                sources.Add(path);
                byte[] listBytes;
                try
                {
                    listBytes = File.ReadAllBytes(path);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new SafetyPolicyException($"cannot read names file {path}: {e.Message}", e);
                }
                hash.AppendData(listBytes);
                names.AddRange(Encoding.UTF8.GetString(listBytes).Split('\n')
                    .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')));
            }
            rules.Add(Compile(new PolicyRuleDocument { Id = people.Id, Category = people.Category, Code = people.Code, Terms = names }, document.Sets));
        }
        if (rules.Count == 0)
        {
            throw new SafetyPolicyException("policy has no rules");
        }
        var version = Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
        return new SafetyPolicy(document.Name, version, rules, sources);
    }

    /// <summary>Checks a prompt. Deterministic and side-effect free; auditing is the caller's (see <see cref="SafetyGate"/>).</summary>
    public PolicyDecision Evaluate(string prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        return Evaluate(PromptNormaliser.Normalise(prompt));
    }

    /// <summary>Checks an already normalised prompt.</summary>
    public PolicyDecision Evaluate(NormalisedPrompt prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        foreach (var rule in _rules)
        {
            var normalised = rule.Except.Count == 0 ? prompt : prompt.Without(rule.Except);
            var hit = rule.Terms.FirstOrDefault(t => t.Matches(normalised));
            if (hit is null && rule.AllOf.Count > 0)
            {
                var hits = rule.AllOf.Select(group => group.FirstOrDefault(t => t.Matches(normalised))).ToList();
                hit = hits.All(h => h is not null) ? hits[^1] : null;
                if (hit is not null)
                {
                    return new PolicyDecision(false, rule.Code, rule.Category, rule.Id, string.Join(" + ", hits.Select(h => h!.Source)), Version);
                }
            }
            if (hit is not null)
            {
                return new PolicyDecision(false, rule.Code, rule.Category, rule.Id, hit.Source, Version);
            }
        }
        return PolicyDecision.Allow(Version);
    }

    private static SafetyPolicy LoadDefault()
    {
        var json = Encoding.UTF8.GetBytes(DefaultPolicyJson());
        return Parse(json, baseDirectory: null);
    }

    private static CompiledRule Compile(PolicyRuleDocument rule, Dictionary<string, List<string>> sets)
    {
        if (string.IsNullOrWhiteSpace(rule.Id) || string.IsNullOrWhiteSpace(rule.Code) || string.IsNullOrWhiteSpace(rule.Category))
        {
            throw new SafetyPolicyException($"rule '{rule.Id}' needs an id, a category and a code");
        }
        if (rule.Terms.Count == 0 && rule.AllOf.Count == 0)
        {
            throw new SafetyPolicyException($"rule '{rule.Id}' has neither terms nor allOf groups");
        }
        return new CompiledRule(rule.Id, rule.Category, rule.Code,
            Expand(rule.Terms, sets, rule.Id),
            rule.AllOf.Select(g => Expand(g, sets, rule.Id)).ToList(),
            Expand(rule.Except, sets, rule.Id));
    }

    private static List<PolicyTerm> Expand(List<string> terms, Dictionary<string, List<string>> sets, string ruleId)
    {
        var result = new List<PolicyTerm>();
        foreach (var term in terms)
        {
            if (term.StartsWith('@'))
            {
                if (!sets.TryGetValue(term[1..], out var set))
                {
                    throw new SafetyPolicyException($"rule '{ruleId}' refers to unknown set '{term}'");
                }
                result.AddRange(set.Select(PolicyTerm.Compile).OfType<PolicyTerm>());
            }
            else if (PolicyTerm.Compile(term) is { } compiled)
            {
                result.Add(compiled);
            }
        }
        return result;
    }

    private sealed record CompiledRule(string Id, string Category, string Code, IReadOnlyList<PolicyTerm> Terms,
        IReadOnlyList<IReadOnlyList<PolicyTerm>> AllOf, IReadOnlyList<PolicyTerm> Except);
}
