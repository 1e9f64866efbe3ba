using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Provenance.Generator.Safety;

/// <summary>One audited policy decision. The prompt appears only as a salted hash unless configured otherwise.</summary>
public sealed record PolicyAuditRecord(
    DateTimeOffset Time,
    bool Allowed,
    string ReasonCode,
    string? Category,
    string? MatchedRule,
    string? MatchedTerm,
    string PolicyVersion,
    string PromptHash,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Prompt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Subject);

/// <summary>Where policy decisions are recorded.</summary>
public interface IPolicyAuditSink
{
    ValueTask RecordAsync(PolicyAuditRecord record, CancellationToken cancellationToken);
}

/// <summary>
/// Appends one JSON object per decision to a file (JSON lines), flushed before the call returns, so a
/// decision is on disk before any generation starts. Safe for concurrent callers in one process.
/// </summary>
public sealed class JsonLinesPolicyAuditSink : IPolicyAuditSink
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly string _path;
    private readonly SemaphoreSlim _lock = new(1, 1);

    public JsonLinesPolicyAuditSink(string path)
    {
        _path = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
    }

    public string FilePath => _path;

    public async ValueTask RecordAsync(PolicyAuditRecord record, CancellationToken cancellationToken)
    {
        var line = JsonSerializer.Serialize(record, Json) + "\n";
        var bytes = Encoding.UTF8.GetBytes(line);
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var stream = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read, 4096, FileOptions.WriteThrough);
            await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }
}

/// <summary>Salted SHA-256 of prompts for the audit log.</summary>
public sealed class PromptHasher
{
    private readonly byte[] _salt;

    public PromptHasher(byte[] salt)
    {
        if (salt.Length < 16)
        {
            throw new ArgumentException("a prompt salt needs at least 16 bytes", nameof(salt));
        }
        _salt = salt;
    }

    /// <summary>The configured salt, or a random one created once and kept in <paramref name="saltFile"/>.</summary>
    public static PromptHasher Create(string? configuredSalt, string? saltFile)
    {
        if (!string.IsNullOrEmpty(configuredSalt))
        {
            return new PromptHasher(SHA256.HashData(Encoding.UTF8.GetBytes(configuredSalt)));
        }
        if (saltFile is null)
        {
            return new PromptHasher(RandomNumberGenerator.GetBytes(32));
        }
        if (!File.Exists(saltFile))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(saltFile))!);
            var fresh = RandomNumberGenerator.GetBytes(32);
            try
            {
                using var stream = new FileStream(saltFile, FileMode.CreateNew, FileAccess.Write);
                stream.Write(fresh);
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(saltFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }
            }
            catch (IOException) when (File.Exists(saltFile))
            {
                // Another process created it first: use theirs.
            }
        }
        return new PromptHasher(File.ReadAllBytes(saltFile));
    }

    /// <summary>Lower-case hex HMAC-SHA-256 of the UTF-8 prompt under the salt.</summary>
    public string Hash(string prompt) => Convert.ToHexStringLower(HMACSHA256.HashData(_salt, Encoding.UTF8.GetBytes(prompt)));
}
