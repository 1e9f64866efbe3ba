using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Provenance.Api.Hosting;

namespace Provenance.Api.Audit;

/// <summary>The append-only record of who did what (key id or operator, action, target). No media, no secrets.</summary>
public sealed class AuditLog(DatabaseProvider database)
{
    public async Task AppendAsync(string actor, string action, string? target, object? detail, CancellationToken ct)
    {
        var db = await database.GetAsync(ct);
        await using var cmd = db.DataSource.CreateCommand(
            "INSERT INTO audit_log (actor, action, target, detail) VALUES (@actor, @action, @target, @detail)");
        cmd.Parameters.AddWithValue("actor", actor);
        cmd.Parameters.AddWithValue("action", action);
        cmd.Parameters.AddWithValue("target", (object?)target ?? DBNull.Value);
        cmd.Parameters.Add(new NpgsqlParameter("detail", NpgsqlDbType.Jsonb)
        {
            Value = detail is null ? DBNull.Value : JsonSerializer.Serialize(detail),
        });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task<IReadOnlyList<AuditEntry>> ReadAsync(int limit, CancellationToken ct)
    {
        var db = await database.GetAsync(ct);
        await using var cmd = db.DataSource.CreateCommand(
            "SELECT id, at, actor, action, target, detail::text FROM audit_log ORDER BY id DESC LIMIT @limit");
        cmd.Parameters.AddWithValue("limit", Math.Clamp(limit, 1, 1000));
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var list = new List<AuditEntry>();
        while (await reader.ReadAsync(ct))
        {
            list.Add(new AuditEntry(reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2),
                reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5)));
        }
        return list;
    }
}

public sealed record AuditEntry(long Id, DateTimeOffset At, string Actor, string Action, string? Target, string? Detail);
