namespace Provenance.Generator.Safety;

/// <summary>Configuration of the safety gate (section <c>Provenance:Safety</c>).</summary>
public sealed class SafetyOptions
{
    public const string Section = "Provenance:Safety";

    /// <summary>Policy file; null or empty uses the policy shipped in the assembly.</summary>
    public string? PolicyPath { get; set; }

    /// <summary>JSON-lines audit log; null or empty keeps no file log.</summary>
    public string? AuditLogPath { get; set; }

    /// <summary>Write prompts in clear into the audit log (off: only a salted SHA-256 is written).</summary>
    public bool LogPrompts { get; set; }

    /// <summary>Salt for prompt hashes (any text). Empty: a random salt is created once and kept in <c>AUDITLOG.salt</c>.</summary>
    public string? AuditSalt { get; set; }

    /// <summary>How often the policy file's time stamp and size are checked for changes.</summary>
    public TimeSpan ReloadCheckInterval { get; set; } = TimeSpan.FromSeconds(1);
}
