using System.Security.Cryptography;
using Npgsql;
using Provenance.Api.Audit;
using Provenance.Api.Hosting;

namespace Provenance.Api.Auth;

/// <summary>A key as listed: never its secret.</summary>
public sealed record ApiKeyRecord(string KeyId, string Name, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt,
    DateTimeOffset? RevokedAt, string? ReplacedBy, DateTimeOffset? LastUsedAt)
{
    public bool Active => RevokedAt is null;

    public bool Allows(string scope) => Active && (Scopes.Contains(scope) || Scopes.Contains(ApiKeyScopes.Admin));
}

/// <summary>API keys in PostgreSQL: created (the secret shown once), listed, rotated, revoked; every change audited.</summary>
public sealed class ApiKeyStore(DatabaseProvider database, AuditLog audit)
{
    public async Task<(ApiKeyRecord Key, ApiKeySecret Secret)> CreateAsync(string name, IReadOnlyCollection<string> scopes, string actor, CancellationToken ct)
    {
        ValidateScopes(scopes);
        if (string.IsNullOrWhiteSpace(name) || name.Length > 200)
        {
            throw new ArgumentException("A key needs a name of 1 to 200 characters.", nameof(name));
        }
        var secret = ApiKeySecret.Generate();
        var db = await database.GetAsync(ct);
        await using var cmd = db.DataSource.CreateCommand("""
            INSERT INTO api_keys (key_id, secret_sha256, name, scopes) VALUES (@id, @hash, @name, @scopes)
            RETURNING key_id, name, scopes, created_at, revoked_at, replaced_by, last_used_at
            """);
        cmd.Parameters.AddWithValue("id", secret.KeyId);
        cmd.Parameters.AddWithValue("hash", secret.SecretHash());
        cmd.Parameters.AddWithValue("name", name);
        cmd.Parameters.AddWithValue("scopes", scopes.Distinct().Order().ToArray());
        ApiKeyRecord record;
        // The reader is disposed exactly once, here, before the audit statement: Npgsql reuses one reader object per
        // pooled connection, so disposing it again later would close whatever command another caller (the job
        // poller, the callback dispatcher) is running on that connection by then, and both sides could wait forever.
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            await reader.ReadAsync(ct);
            record = Read(reader);
        }
        await audit.AppendAsync(actor, "apikey.create", record.KeyId, new { name, scopes = record.Scopes }, ct);
        return (record, secret);
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken ct)
    {
        var db = await database.GetAsync(ct);
        await using var cmd = db.DataSource.CreateCommand(
            "SELECT key_id, name, scopes, created_at, revoked_at, replaced_by, last_used_at FROM api_keys ORDER BY created_at");
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var list = new List<ApiKeyRecord>();
        while (await reader.ReadAsync(ct))
        {
            list.Add(Read(reader));
        }
        return list;
    }

    /// <summary>Revokes a key; false when no active key has that id.</summary>
    public async Task<bool> RevokeAsync(string keyId, string actor, CancellationToken ct)
    {
        var db = await database.GetAsync(ct);
        await using var cmd = db.DataSource.CreateCommand("UPDATE api_keys SET revoked_at = now() WHERE key_id = @id AND revoked_at IS NULL");
        cmd.Parameters.AddWithValue("id", keyId);
        var done = await cmd.ExecuteNonQueryAsync(ct) == 1;
        if (done)
        {
            await audit.AppendAsync(actor, "apikey.revoke", keyId, null, ct);
        }
        return done;
    }

    /// <summary>Replaces a key with a new one of the same name and scopes, and revokes the old one.</summary>
    public async Task<(ApiKeyRecord Key, ApiKeySecret Secret)?> RotateAsync(string keyId, string actor, CancellationToken ct)
    {
        var old = (await ListAsync(ct)).FirstOrDefault(k => k.KeyId == keyId && k.Active);
        if (old is null)
        {
            return null;
        }
        var created = await CreateAsync(old.Name, old.Scopes.ToArray(), actor, ct);
        var db = await database.GetAsync(ct);
        await using var cmd = db.DataSource.CreateCommand(
            "UPDATE api_keys SET revoked_at = now(), replaced_by = @new WHERE key_id = @id AND revoked_at IS NULL");
        cmd.Parameters.AddWithValue("id", keyId);
        cmd.Parameters.AddWithValue("new", created.Key.KeyId);
        await cmd.ExecuteNonQueryAsync(ct);
        await audit.AppendAsync(actor, "apikey.rotate", keyId, new { replacedBy = created.Key.KeyId }, ct);
        return created;
    }

    /// <summary>The active key a presented secret belongs to, or null. Compares hashes in constant time.</summary>
    public async Task<ApiKeyRecord?> AuthenticateAsync(ApiKeySecret presented, CancellationToken ct)
    {
        var db = await database.GetAsync(ct);
        await using var cmd = db.DataSource.CreateCommand("""
            UPDATE api_keys SET last_used_at = now()
            WHERE key_id = @id AND revoked_at IS NULL
            RETURNING key_id, name, scopes, created_at, revoked_at, replaced_by, last_used_at, secret_sha256
            """);
        cmd.Parameters.AddWithValue("id", presented.KeyId);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }
        var stored = reader.GetFieldValue<byte[]>(7);
        return CryptographicOperations.FixedTimeEquals(stored, presented.SecretHash()) ? Read(reader) : null;
    }

    private static void ValidateScopes(IReadOnlyCollection<string> scopes)
    {
        if (scopes.Count == 0)
        {
            throw new ArgumentException($"A key needs at least one scope ({string.Join(", ", ApiKeyScopes.All)}).", nameof(scopes));
        }
        foreach (var s in scopes)
        {
            if (!ApiKeyScopes.All.Contains(s))
            {
                throw new ArgumentException($"Unknown scope '{s}' (known: {string.Join(", ", ApiKeyScopes.All)}).", nameof(scopes));
            }
        }
    }

    private static ApiKeyRecord Read(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetFieldValue<string[]>(2), r.GetFieldValue<DateTimeOffset>(3),
        r.IsDBNull(4) ? null : r.GetFieldValue<DateTimeOffset>(4), r.IsDBNull(5) ? null : r.GetString(5),
        r.IsDBNull(6) ? null : r.GetFieldValue<DateTimeOffset>(6));
}
