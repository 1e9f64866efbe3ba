namespace Provenance.Generator.Safety;

/// <summary>
/// The outcome of checking a prompt against the safety policy. A refusal carries a stable reason code
/// (<c>violence.graphic</c>, <c>likeness.real-person</c>, ...), its category, the rule that fired and the
/// policy term it matched (as written in the policy, never the user's text).
/// </summary>
public sealed record PolicyDecision(
    bool Allowed,
    string ReasonCode,
    string? Category,
    string? MatchedRule,
    string? MatchedTerm,
    string PolicyVersion)
{
    public const string AllowedCode = "allowed";

    public static PolicyDecision Allow(string policyVersion) => new(true, AllowedCode, null, null, null, policyVersion);

    /// <summary>One line for a person: "refused: violence.graphic (rule violence-graphic, term 'behead*')".</summary>
    public string Describe() => Allowed
        ? "allowed"
        : $"refused: {ReasonCode} (category {Category}, rule {MatchedRule}, term '{MatchedTerm}')";
}
