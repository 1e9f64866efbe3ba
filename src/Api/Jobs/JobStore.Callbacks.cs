using Npgsql;

namespace Provenance.Api.Jobs;

/// <summary>Completion callbacks: which are due, and how their delivery went.</summary>
public sealed partial class JobStore
{
    /// <summary>
    /// Takes up to <paramref name="limit"/> due callbacks and pushes their next try out by <paramref name="hold"/>,
    /// so a second dispatcher does not send them at the same time.
    /// </summary>
    public async Task<IReadOnlyList<(Guid Id, string Kind, string Status, string Url, int Attempts)>> TakeDueCallbacksAsync(
        int limit, TimeSpan hold, CancellationToken ct)
    {
        await using var cmd = await CommandAsync("""
            WITH due AS (
                SELECT id FROM jobs WHERE callback_state = 'pending' AND callback_after <= now()
                ORDER BY callback_after LIMIT @limit FOR UPDATE SKIP LOCKED)
            UPDATE jobs j SET callback_after = now() + @hold FROM due WHERE j.id = due.id
            RETURNING j.id, j.kind, j.status, j.callback_url, j.callback_attempts
            """, ct);
        cmd.Parameters.AddWithValue("limit", limit);
        cmd.Parameters.AddWithValue("hold", hold);
        var list = new List<(Guid, string, string, string, int)>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            list.Add((reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4)));
        }
        return list;
    }

    /// <summary>
    /// Records one delivery try: delivered, or retried after a backoff (<paramref name="initialBackoff"/> doubled per
    /// earlier failure, at most <paramref name="maxBackoff"/>), or given up after <paramref name="maxAttempts"/>.
    /// Returns the callback's state after the try.
    /// </summary>
    public async Task<string?> RecordCallbackAsync(Guid id, bool delivered, int maxAttempts, TimeSpan initialBackoff, TimeSpan maxBackoff,
        CancellationToken ct)
    {
        await using var cmd = await CommandAsync("""
            UPDATE jobs SET callback_attempts = callback_attempts + 1,
                callback_state = CASE WHEN @delivered THEN 'delivered' WHEN callback_attempts + 1 >= @max THEN 'failed' ELSE 'pending' END,
                callback_after = now() + make_interval(secs => least(@maxSeconds, @initialSeconds * 2 ^ least(callback_attempts, 30)))
            WHERE id = @id
            RETURNING callback_state
            """, ct);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("delivered", delivered);
        cmd.Parameters.AddWithValue("max", maxAttempts);
        cmd.Parameters.AddWithValue("initialSeconds", initialBackoff.TotalSeconds);
        cmd.Parameters.AddWithValue("maxSeconds", maxBackoff.TotalSeconds);
        return await cmd.ExecuteScalarAsync(ct) as string;
    }
}

/// <summary>Retention: media of long-finished jobs.</summary>
public sealed partial class JobStore
{
    /// <summary>Marks the media of jobs finished longer ago than <paramref name="retention"/> deleted and returns their upload paths.</summary>
    public async Task<IReadOnlyList<string>> TakeExpiredMediaAsync(TimeSpan retention, CancellationToken ct)
    {
        await using var cmd = await CommandAsync("""
            UPDATE jobs SET media_deleted_at = now()
            WHERE finished_at IS NOT NULL AND finished_at < now() - @retention AND media_deleted_at IS NULL
            RETURNING input->>'uploadPath'
            """, ct);
        cmd.Parameters.AddWithValue("retention", retention);
        var list = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            if (!reader.IsDBNull(0))
            {
                list.Add(reader.GetString(0));
            }
        }
        return list;
    }
}
