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

    /// <summary>Decides on <paramref name="prompt"/> under the policy in force now and records the decision. This is
    /// the decision that lets generation start (<c>StampingPipeline.GenerateAsync</c> calls it).</summary>
    /// <param name="subject">Optional caller identity or job id for the audit line.</param>
    public async Task<PolicyDecision> CheckAsync(string prompt, string? subject, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var decision = _policies.Current.Evaluate(prompt);
        await RecordAsync(prompt, decision, subject, cancellationToken).ConfigureAwait(false);
        return decision;
    }

    /// <summary>
    /// An early look at a prompt when a request arrives, before anything is queued or set up (keys, ledger, ffmpeg).
    /// A refusal is final: it is recorded here and the request ends. An allowance is returned unrecorded and
    /// authorises nothing: generation decides again with <see cref="CheckAsync"/> when it starts, and that decision is
    /// the one recorded. So one request leaves exactly one audit line, and the recorded decision for every generated
    /// clip is the one taken under the policy in force when its frames were made (a reload between submission and a
    /// queued job cannot let a clip through on an older policy). Carrying the submission's decision into the pipeline
    /// instead would need it stored with the job and re-checked against the policy version, for no gain in safety.
    /// </summary>
    /// <param name="subject">Optional caller identity for the audit line of a refusal.</param>
    public async Task<PolicyDecision> ScreenAsync(string prompt, string? subject, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var decision = _policies.Current.Evaluate(prompt);
        if (!decision.Allowed)
        {
            await RecordAsync(prompt, decision, subject, cancellationToken).ConfigureAwait(false);
        }
        return decision;
    }

    private async Task RecordAsync(string prompt, PolicyDecision decision, string? subject, CancellationToken cancellationToken)
    {
        if (_audit is null)
        {
            return;
        }
        var record = new PolicyAuditRecord(_time.GetUtcNow(), decision.Allowed, decision.ReasonCode, decision.Category,
            decision.MatchedRule, decision.MatchedTerm, decision.PolicyVersion, _hasher.Hash(prompt),
            _logPrompts ? prompt : null, subject);
        await _audit.RecordAsync(record, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>Thrown when a prompt is refused; carries the decision so callers can report the reason code.</summary>
public sealed class PromptRefusedException(PolicyDecision decision) : Exception(decision.Describe())
{
    public PolicyDecision Decision { get; } = decision;
}
