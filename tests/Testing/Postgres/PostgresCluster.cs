using Npgsql;
using Provenance.Ledger.Database;

namespace Provenance.Testing.Postgres;

/// <summary>
/// One throw-away PostgreSQL cluster per test process, started on first use in a temp folder with the same
/// launcher the product uses (fsync off: nothing here must survive a power cut), stopped and deleted when the
/// process exits. Clusters abandoned by killed test runs are stopped and removed at the next start.
/// </summary>
public static class PostgresCluster
{
    private const string FolderPrefix = "provenance-pgtest-";
    private static readonly Lazy<Task<EmbeddedPostgres>> Shared = new(StartAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The running cluster (started on first call).</summary>
    public static Task<EmbeddedPostgres> GetAsync() => Shared.Value;

    /// <summary>Options for test clusters: durability off, generous start-up bound for a busy machine.</summary>
    public static EmbeddedPostgresOptions TestOptions() => new() { Fsync = false, StartTimeout = TimeSpan.FromMinutes(2) };

    /// <summary>A new empty database in the shared cluster; migrated with db/ when <paramref name="migrate"/> is set.</summary>
    public static async Task<TestDatabase> CreateDatabaseAsync(bool migrate, CancellationToken ct = default)
    {
        var cluster = await GetAsync().ConfigureAwait(false);
        var name = "test_" + Guid.NewGuid().ToString("N");
        await using (var admin = new NpgsqlConnection(cluster.AdminConnectionString))
        {
            await admin.OpenAsync(ct).ConfigureAwait(false);
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await create.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        var connectionString = new NpgsqlConnectionStringBuilder(cluster.ConnectionString) { Database = name }.ConnectionString;
        var database = new TestDatabase(cluster, name, connectionString);
        if (migrate) await new Migrator(database.DataSource).MigrateAsync(ct).ConfigureAwait(false);
        return database;
    }

    private static async Task<EmbeddedPostgres> StartAsync()
    {
        await RemoveAbandonedAsync().ConfigureAwait(false);
        var root = Path.Combine(Path.GetTempPath(), $"{FolderPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}"[..(FolderPrefix.Length + 20)]);
        var cluster = await EmbeddedPostgres.StartAsync(Path.Combine(root, "pg"), TestOptions(), CancellationToken.None).ConfigureAwait(false);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                cluster.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
                Directory.Delete(root, recursive: true);
            }
            // Best-effort clean-up while the test host exits: nothing can be reported any more, and an exception thrown
            // here would end a run whose tests all passed with a failing exit code. A cluster left behind is removed by
            // the next run (RemoveAbandonedAsync).
            catch (Exception) { }
        };
        return cluster;
    }

    private static async Task RemoveAbandonedAsync()
    {
        foreach (var root in Directory.EnumerateDirectories(Path.GetTempPath(), FolderPrefix + "*"))
        {
            var pidText = Path.GetFileName(root)[FolderPrefix.Length..].Split('-')[0];
            if (int.TryParse(pidText, out var pid) && IsAlive(pid)) continue;
            try
            {
                await EmbeddedPostgres.StopAbandonedAsync(Path.Combine(root, "pg"), TestOptions(), CancellationToken.None).ConfigureAwait(false);
                Directory.Delete(root, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or EmbeddedPostgresException) { }
        }
    }

    private static bool IsAlive(int pid)
    {
        try { using var process = System.Diagnostics.Process.GetProcessById(pid); return !process.HasExited; }
        catch (ArgumentException) { return false; }
    }
}
