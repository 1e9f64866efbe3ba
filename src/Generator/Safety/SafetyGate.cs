namespace Provenance.Generator.Safety;

/// <summary>
/// The check every generation passes first: the current policy decides, the decision is audited (the
/// audit write completes before the answer is returned), and only then may generation start.
/// </summary>
public sealed class SafetyGate
{
    private readonly SafetyPolicyProvider _policies;
    private readonly IPolicyAuditSink? _audit;
    private readonly PromptHasher _hasher;
    private readonly bool _logPrompts;
    private readonly TimeProvider _time;

    public SafetyGate(SafetyPolicyProvider policies, IPolicyAuditSink? audit, PromptHasher hasher, bool logPrompts, TimeProvider? time = null)
    {
        _policies = policies;
        _audit = audit;
        _hasher = hasher;
        _logPrompts = logPrompts;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>A gate built from options: file-backed policy (or the default) and a JSON-lines audit log if configured.</summary>
    public static SafetyGate Create(SafetyOptions options)
    {
        var audit = string.IsNullOrWhiteSpace(options.AuditLogPath) ? null : new JsonLinesPolicyAuditSink(options.AuditLogPath);
        var hasher = PromptHasher.Create(options.AuditSalt, audit is null ? null : audit.FilePath + ".salt");
        return new SafetyGate(new SafetyPolicyProvider(options), audit, hasher, options.LogPrompts);
    }

    public SafetyPolicyProvider Policies => _policies;

    /// <summary>Decides on <paramref name="prompt"/> and records the decision.</summary>
    /// <param name="subject">Optional caller identity or job id for the audit line.</param>
    public async Task<PolicyDecision> CheckAsync(string prompt, string? subject, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var decision = _policies.Current.Evaluate(prompt);
        if (_audit is not null)
        {
            var record = new PolicyAuditRecord(_time.GetUtcNow(), decision.Allowed, decision.ReasonCode, decision.Category,
                decision.MatchedRule, decision.MatchedTerm, decision.PolicyVersion, _hasher.Hash(prompt),
                _logPrompts ? prompt : null, subject);
            await _audit.RecordAsync(record, cancellationToken).ConfigureAwait(false);
        }
        return decision;
    }
}

/// <summary>Thrown when a prompt is refused; carries the decision so callers can report the reason code.</summary>
public sealed class PromptRefusedException(PolicyDecision decision) : Exception(decision.Describe())
{
    public PolicyDecision Decision { get; } = decision;
}
