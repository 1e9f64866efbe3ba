using Npgsql;

namespace Provenance.Ledger.Database;

/// <summary>
/// Applies the numbered SQL files of <c>db/</c> in order, each in its own transaction, and records them with a
/// checksum in <c>schema_migrations</c>. Idempotent; refuses to continue when an applied file has changed or an
/// applied version is missing from the folder. Concurrent migrators serialise on an advisory lock.
/// Migrations run inside a transaction, so statements that cannot (CREATE INDEX CONCURRENTLY) are not allowed.
/// </summary>
public sealed class Migrator
{
    /// <summary>The advisory lock key ("provenan" in ASCII).</summary>
    private const long AdvisoryLockKey = 0x70726f76656e616e;

    private const string CreateTableSql = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version    integer     PRIMARY KEY,
            file_name  text        NOT NULL,
            checksum   text        NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now()
        )
        """;

    private readonly NpgsqlDataSource _dataSource;

    public Migrator(NpgsqlDataSource dataSource, string? migrationsDirectory = null)
    {
        _dataSource = dataSource ?? throw new ArgumentNullException(nameof(dataSource));
        MigrationsDirectory = migrationsDirectory ?? DefaultDirectory;
    }

    /// <summary>db/ beside the application (the build copies the repository's db/*.sql there).</summary>
    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "db");

    public string MigrationsDirectory { get; }

    /// <summary>Applies what is pending; returns the file names applied by this call (empty when up to date).</summary>
    /// <exception cref="MigrationException">changed or unknown applied migration, bad file name, or SQL failure.</exception>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken ct)
    {
        var files = MigrationFile.ReadFolder(MigrationsDirectory);
        await using var connection = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        await ExecuteAsync(connection, $"SELECT pg_advisory_lock({AdvisoryLockKey})", ct).ConfigureAwait(false);
        try
        {
            await ExecuteAsync(connection, CreateTableSql, ct).ConfigureAwait(false);
            var applied = await ReadAppliedAsync(connection, ct).ConfigureAwait(false);
            var status = Compare(files, applied);
            if (status.Changed.Count > 0)
                throw new MigrationException(
                    $"applied migration(s) {string.Join(", ", status.Changed)} changed since they were applied (checksum differs); " +
                    "never edit an applied migration: restore it and add a new numbered file") { FileName = status.Changed[0] };
            if (status.Unknown.Count > 0)
                throw new MigrationException(
                    $"the database has migration(s) {string.Join(", ", status.Unknown)} that this build does not have; use a newer build") { FileName = status.Unknown[0] };

            var appliedNow = new List<string>();
            foreach (var file in files.Where(f => !applied.ContainsKey(f.Version)))
            {
                await ApplyAsync(connection, file, ct).ConfigureAwait(false);
                appliedNow.Add(file.FileName);
            }
            return appliedNow;
        }
        finally
        {
            if (connection.State == System.Data.ConnectionState.Open)
                await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Compares the folder with the database without changing anything.</summary>
    public async Task<MigrationStatus> GetStatusAsync(CancellationToken ct)
    {
        var files = MigrationFile.ReadFolder(MigrationsDirectory);
        await using var connection = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var exists = new NpgsqlCommand("SELECT to_regclass('schema_migrations') IS NOT NULL", connection);
        var hasTable = (bool)(await exists.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
        var applied = hasTable ? await ReadAppliedAsync(connection, ct).ConfigureAwait(false) : new Dictionary<int, (string, string)>();
        return Compare(files, applied);
    }

    private static MigrationStatus Compare(IReadOnlyList<MigrationFile> files, IReadOnlyDictionary<int, (string FileName, string Checksum)> applied)
    {
        var byVersion = files.ToDictionary(f => f.Version);
        var done = new List<string>();
        var pending = new List<string>();
        var changed = new List<string>();
        foreach (var file in files)
        {
            if (!applied.TryGetValue(file.Version, out var record)) pending.Add(file.FileName);
            else if (record.Checksum != file.Checksum || record.FileName != file.FileName) changed.Add(file.FileName);
            else done.Add(file.FileName);
        }
        var unknown = applied.Where(a => !byVersion.ContainsKey(a.Key)).OrderBy(a => a.Key).Select(a => a.Value.FileName).ToList();
        return new MigrationStatus(done, pending, changed, unknown);
    }

    private static async Task<Dictionary<int, (string FileName, string Checksum)>> ReadAppliedAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var applied = new Dictionary<int, (string, string)>();
        await using var command = new NpgsqlCommand("SELECT version, file_name, checksum FROM schema_migrations", connection);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
            applied[reader.GetInt32(0)] = (reader.GetString(1), reader.GetString(2));
        return applied;
    }

    private static async Task ApplyAsync(NpgsqlConnection connection, MigrationFile file, CancellationToken ct)
    {
        await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        try
        {
            await using (var migration = new NpgsqlCommand(file.Sql, connection, transaction))
                await migration.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            await using (var record = new NpgsqlCommand("INSERT INTO schema_migrations (version, file_name, checksum) VALUES ($1, $2, $3)", connection, transaction))
            {
                record.Parameters.Add(new NpgsqlParameter { Value = file.Version });
                record.Parameters.Add(new NpgsqlParameter { Value = file.FileName });
                record.Parameters.Add(new NpgsqlParameter { Value = file.Checksum });
                await record.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
            await transaction.CommitAsync(ct).ConfigureAwait(false);
        }
        catch (PostgresException e)
        {
            throw new MigrationException($"migration {file.FileName} failed: {e.MessageText} (SQLSTATE {e.SqlState}){(e.Where is { Length: > 0 } w ? $" at {w}" : "")}", e) { FileName = file.FileName };
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
