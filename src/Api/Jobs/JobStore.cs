using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Provenance.Api.Hosting;

namespace Provenance.Api.Jobs;

/// <summary>
/// Jobs in PostgreSQL. Workers claim with <c>FOR UPDATE SKIP LOCKED</c> and hold a lease they renew; a job whose
/// worker died is claimed again once its lease expires, and dead-lettered when its attempts are spent.
/// </summary>
public sealed partial class JobStore(DatabaseProvider database)
{
    /// <summary>Job inputs and results are stored as camelCase JSON, as the API shows them.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private const string Columns = """
        id, kind, status, owner_key_id, input, result, error, progress, stage, attempts, max_attempts,
        created_at, updated_at, finished_at, callback_url, callback_state, callback_attempts
        """;

    public async Task<Guid> EnqueueAsync(string kind, object input, string? ownerKeyId, string? callbackUrl, int maxAttempts, CancellationToken ct)
    {
        // Random (v4) ids: a job id is also the capability to read its status and report.
        var id = Guid.NewGuid();
        await using var cmd = await CommandAsync("""
            INSERT INTO jobs (id, kind, status, owner_key_id, input, max_attempts, callback_url)
            VALUES (@id, @kind, 'queued', @owner, @input, @max, @callback)
            """, ct);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("kind", kind);
        cmd.Parameters.AddWithValue("owner", (object?)ownerKeyId ?? DBNull.Value);
        cmd.Parameters.Add(new NpgsqlParameter("input", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(input, Json) });
        cmd.Parameters.AddWithValue("max", maxAttempts);
        cmd.Parameters.AddWithValue("callback", (object?)callbackUrl ?? DBNull.Value);
        await cmd.ExecuteNonQueryAsync(ct);
        return id;
    }

    public async Task<JobRecord?> GetAsync(Guid id, CancellationToken ct)
    {
        await using var cmd = await CommandAsync($"SELECT {Columns} FROM jobs WHERE id = @id", ct);
        cmd.Parameters.AddWithValue("id", id);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? Read(reader) : null;
    }

    /// <summary>
    /// Claims the oldest runnable job of the given kinds: queued and due, or running under an expired lease.
    /// Jobs whose lease expired with no attempts left are dead-lettered first.
    /// </summary>
    public async Task<ClaimedJob?> ClaimAsync(string workerId, IReadOnlyCollection<string> kinds, TimeSpan lease, CancellationToken ct)
    {
        await using (var reap = await CommandAsync("""
            UPDATE jobs SET status = 'dead', finished_at = now(), updated_at = now(), lease_owner = NULL, lease_until = NULL,
                   error = coalesce(error || '; ', '') || format('worker lost after %s of %s attempts', attempts, max_attempts),
                   callback_state = CASE WHEN callback_url IS NULL THEN NULL ELSE 'pending' END,
                   callback_after = now()
            WHERE status = 'running' AND lease_until < now() AND attempts >= max_attempts
            """, ct))
        {
            await reap.ExecuteNonQueryAsync(ct);
        }

        await using var cmd = await CommandAsync("""
            WITH next AS (
                SELECT id FROM jobs
                WHERE kind = ANY(@kinds)
                  AND ((status = 'queued' AND run_after <= now()) OR (status = 'running' AND lease_until < now()))
                  AND NOT cancel_requested
                ORDER BY run_after, created_at
                LIMIT 1
                FOR UPDATE SKIP LOCKED)
            UPDATE jobs j SET status = 'running', attempts = j.attempts + 1, lease_owner = @worker,
                   lease_until = now() + @lease, stage = 'started', progress = 0, updated_at = now()
            FROM next WHERE j.id = next.id
            RETURNING j.id, j.kind, j.input, j.attempts, j.max_attempts
            """, ct);
        cmd.Parameters.AddWithValue("kinds", kinds.ToArray());
        cmd.Parameters.AddWithValue("worker", workerId);
        cmd.Parameters.AddWithValue("lease", lease);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }
        return new ClaimedJob(reader.GetGuid(0), reader.GetString(1), Element(reader.GetString(2)),
            reader.GetInt32(3), reader.GetInt32(4), workerId);
    }

    /// <summary>Renews the lease and records progress. Returns false when the lease was lost or cancellation was asked.</summary>
    public async Task<bool> HeartbeatAsync(ClaimedJob job, TimeSpan lease, double progress, string? stage, CancellationToken ct)
    {
        await using var cmd = await CommandAsync("""
            UPDATE jobs SET lease_until = now() + @lease, progress = @progress, stage = coalesce(@stage, stage), updated_at = now()
            WHERE id = @id AND lease_owner = @worker AND status = 'running'
            RETURNING cancel_requested
            """, ct);
        cmd.Parameters.AddWithValue("id", job.Id);
        cmd.Parameters.AddWithValue("worker", job.WorkerId);
        cmd.Parameters.AddWithValue("lease", lease);
        cmd.Parameters.AddWithValue("progress", (float)Math.Clamp(progress, 0, 1));
        cmd.Parameters.AddWithValue("stage", (object?)stage ?? DBNull.Value);
        var cancel = await cmd.ExecuteScalarAsync(ct);
        return cancel is false;
    }

    public async Task<bool> CompleteAsync(ClaimedJob job, object result, CancellationToken ct)
    {
        await using var cmd = await CommandAsync("""
            UPDATE jobs SET status = 'done', result = @result, progress = 1, stage = 'done', finished_at = now(), updated_at = now(),
                   lease_owner = NULL, lease_until = NULL,
                   callback_state = CASE WHEN callback_url IS NULL THEN NULL ELSE 'pending' END, callback_after = now()
            WHERE id = @id AND lease_owner = @worker AND status = 'running'
            """, ct);
        cmd.Parameters.AddWithValue("id", job.Id);
        cmd.Parameters.AddWithValue("worker", job.WorkerId);
        cmd.Parameters.Add(new NpgsqlParameter("result", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(result, Json) });
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>
    /// Records a failure. A retryable one is queued again after a backoff while attempts remain, else dead-lettered;
    /// a permanent one (bad input) ends as <c>failed</c> at once.
    /// </summary>
    public async Task<string?> FailAsync(ClaimedJob job, string error, bool retryable, CancellationToken ct)
    {
        await using var cmd = await CommandAsync("""
            UPDATE jobs SET
                status = CASE WHEN NOT @retryable THEN 'failed' WHEN attempts < max_attempts THEN 'queued' ELSE 'dead' END,
                run_after = now() + make_interval(secs => least(300, 2 ^ attempts)),
                error = @error, updated_at = now(), lease_owner = NULL, lease_until = NULL,
                finished_at = CASE WHEN NOT @retryable OR attempts >= max_attempts THEN now() END,
                callback_state = CASE WHEN callback_url IS NOT NULL AND (NOT @retryable OR attempts >= max_attempts) THEN 'pending' END,
                callback_after = now()
            WHERE id = @id AND lease_owner = @worker AND status = 'running'
            RETURNING status
            """, ct);
        cmd.Parameters.AddWithValue("id", job.Id);
        cmd.Parameters.AddWithValue("worker", job.WorkerId);
        cmd.Parameters.AddWithValue("error", error);
        cmd.Parameters.AddWithValue("retryable", retryable);
        return await cmd.ExecuteScalarAsync(ct) as string;
    }

    /// <summary>Cancels a queued job at once; asks the worker of a running one to stop. Returns the status after.</summary>
    public async Task<string?> CancelAsync(Guid id, CancellationToken ct)
    {
        await using var cmd = await CommandAsync("""
            UPDATE jobs SET
                status = CASE WHEN status = 'queued' THEN 'cancelled' ELSE status END,
                finished_at = CASE WHEN status = 'queued' THEN now() ELSE finished_at END,
                cancel_requested = status IN ('queued', 'running'), updated_at = now()
            WHERE id = @id
            RETURNING status
            """, ct);
        cmd.Parameters.AddWithValue("id", id);
        return await cmd.ExecuteScalarAsync(ct) as string;
    }

    /// <summary>Marks a running job cancelled once its worker stopped.</summary>
    public async Task MarkCancelledAsync(ClaimedJob job, CancellationToken ct)
    {
        await using var cmd = await CommandAsync("""
            UPDATE jobs SET status = 'cancelled', finished_at = now(), updated_at = now(), lease_owner = NULL, lease_until = NULL
            WHERE id = @id AND lease_owner = @worker AND status = 'running'
            """, ct);
        cmd.Parameters.AddWithValue("id", job.Id);
        cmd.Parameters.AddWithValue("worker", job.WorkerId);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    internal async Task<NpgsqlCommand> CommandAsync(string sql, CancellationToken ct)
    {
        var db = await database.GetAsync(ct);
        return db.DataSource.CreateCommand(sql);
    }

    /// <summary>A detached copy of stored JSON; the parsed document is disposed at once so its pooled buffers go back.</summary>
    internal static JsonElement Element(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static JobRecord Read(NpgsqlDataReader r) => new(
        r.GetGuid(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3),
        Element(r.GetString(4)),
        r.IsDBNull(5) ? null : Element(r.GetString(5)),
        r.IsDBNull(6) ? null : r.GetString(6), r.GetFloat(7), r.IsDBNull(8) ? null : r.GetString(8),
        r.GetInt32(9), r.GetInt32(10), r.GetFieldValue<DateTimeOffset>(11), r.GetFieldValue<DateTimeOffset>(12),
        r.IsDBNull(13) ? null : r.GetFieldValue<DateTimeOffset>(13), r.IsDBNull(14) ? null : r.GetString(14),
        r.IsDBNull(15) ? null : r.GetString(15), r.GetInt32(16));
}
