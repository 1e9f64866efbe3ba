using System.Net;
using System.Net.Sockets;
using Npgsql;
using Provenance.Ledger.Database;

namespace Provenance.Ledger.Tests.Database;

/// <summary>The launcher on clusters of their own (one folder per test), with the machine's PostgreSQL.</summary>
public sealed class EmbeddedPostgresTests
{
    private static EmbeddedPostgresOptions Quick() => new() { Fsync = false, StartTimeout = TimeSpan.FromMinutes(2) };

    private static async Task<T> QueryAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task Start_OnAnEmptyFolder_CreatesADurableClusterServesItAndStopsIt()
    {
        using var temp = new TempDirectory();
        var pg = await EmbeddedPostgres.StartAsync(temp.Combine("pg"), CancellationToken.None);
        Assert.True(pg.OwnsServer);
        Assert.True(File.Exists(temp.Combine("pg", "PG_VERSION")));
        Assert.Equal("on", await QueryAsync<string>(pg.ConnectionString, "SHOW fsync"));
        Assert.Equal("provenance", await QueryAsync<string>(pg.ConnectionString, "SELECT current_database()"));
        Assert.Equal(15, await QueryAsync<int>(pg.ConnectionString, "SELECT current_setting('server_version_num')::int / 10000"));
        var pid = pg.ServerProcessId;
        Assert.True(EmbeddedPostgres.IsServerRunning(pg.DataDirectory));

        await pg.StopAsync(CancellationToken.None);

        Assert.False(EmbeddedPostgres.IsServerRunning(pg.DataDirectory));
        for (var i = 0; i < 200 && ProcessRuns(pid); i++) await Task.Delay(25);
        Assert.False(ProcessRuns(pid));
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => QueryAsync<int>(pg.ConnectionString, "SELECT 1"));
    }

    [Fact]
    public async Task Start_ASecondTime_ReusesTheClusterAndItsData()
    {
        using var temp = new TempDirectory();
        await using (var first = await EmbeddedPostgres.StartAsync(temp.Combine("pg"), Quick(), CancellationToken.None))
            await ExecuteAsync(first.ConnectionString, "CREATE TABLE kept (v int); INSERT INTO kept VALUES (42)");

        await using var second = await EmbeddedPostgres.StartAsync(temp.Combine("pg"), Quick(), CancellationToken.None);

        Assert.Equal(42, await QueryAsync<int>(second.ConnectionString, "SELECT v FROM kept"));
    }

    [Fact]
    public async Task Start_AfterThePostmasterWasKilled_RecoversWithCommittedData()
    {
        using var temp = new TempDirectory();
        var crashed = await EmbeddedPostgres.StartAsync(temp.Combine("pg"), new EmbeddedPostgresOptions { StartTimeout = TimeSpan.FromMinutes(2) }, CancellationToken.None);
        await ExecuteAsync(crashed.ConnectionString, "CREATE TABLE kept (v int); INSERT INTO kept VALUES (7)");
        var pid = crashed.ServerProcessId;
        NpgsqlConnection.ClearAllPools();
        System.Diagnostics.Process.GetProcessById(pid).Kill(); // SIGKILL: no shutdown, stale postmaster.pid left behind
        while (ProcessRuns(pid)) await Task.Delay(10);
        Assert.True(File.Exists(temp.Combine("pg", "postmaster.pid")));

        await using var restarted = await EmbeddedPostgres.StartAsync(temp.Combine("pg"), Quick(), CancellationToken.None);

        Assert.NotEqual(pid, restarted.ServerProcessId);
        Assert.Equal(7, await QueryAsync<int>(restarted.ConnectionString, "SELECT v FROM kept"));
        await crashed.StopAsync(CancellationToken.None); // the old handle must not disturb the new server
        Assert.True(EmbeddedPostgres.IsServerRunning(restarted.DataDirectory));
    }

    [Fact]
    public async Task Start_WhileAnotherInstanceRunsTheFolder_JoinsAndLeavesStoppingToTheOwner()
    {
        using var temp = new TempDirectory();
        await using var owner = await EmbeddedPostgres.StartAsync(temp.Combine("pg"), Quick(), CancellationToken.None);

        var guest = await EmbeddedPostgres.StartAsync(temp.Combine("pg"), Quick(), CancellationToken.None);
        Assert.False(guest.OwnsServer);
        Assert.Equal(owner.ServerProcessId, guest.ServerProcessId);
        Assert.Equal(1, await QueryAsync<int>(guest.ConnectionString, "SELECT 1"));
        await guest.StopAsync(CancellationToken.None);

        Assert.True(EmbeddedPostgres.IsServerRunning(owner.DataDirectory));
        Assert.Equal(1, await QueryAsync<int>(owner.ConnectionString, "SELECT 1"));
    }

    [Fact]
    public async Task Start_WithoutPostgresPrograms_SaysWhichFolderLacksThem()
    {
        using var temp = new TempDirectory();
        var options = Quick();
        options.BinDirectory = temp.Combine("no-postgres-here");

        var error = await Assert.ThrowsAsync<EmbeddedPostgresException>(() => EmbeddedPostgres.StartAsync(temp.Combine("pg"), options, CancellationToken.None));

        Assert.Equal(EmbeddedPostgresFailure.BinariesMissing, error.Failure);
        Assert.Contains(temp.Combine("no-postgres-here"), error.Message, StringComparison.Ordinal);
        Assert.Contains("initdb", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.Combine("pg")));
    }

    [Fact]
    public async Task Start_OnAPortAnotherProcessHolds_FailsWithPortBusy()
    {
        using var temp = new TempDirectory();
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var options = Quick();
        options.Port = ((IPEndPoint)squatter.LocalEndpoint).Port;

        var error = await Assert.ThrowsAsync<EmbeddedPostgresException>(() => EmbeddedPostgres.StartAsync(temp.Combine("pg"), options, CancellationToken.None));

        Assert.Equal(EmbeddedPostgresFailure.PortBusy, error.Failure);
        Assert.Contains(options.Port.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_UnderAFileInsteadOfAFolder_FailsWithDataDirectoryNotWritable()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.Combine("plain-file"), "not a folder");

        var error = await Assert.ThrowsAsync<EmbeddedPostgresException>(() =>
            EmbeddedPostgres.StartAsync(temp.Combine("plain-file", "pg"), Quick(), CancellationToken.None));

        Assert.Equal(EmbeddedPostgresFailure.DataDirectoryNotWritable, error.Failure);
    }

    [Fact]
    public async Task Start_AsRootBelowAFolderTheServerAccountCannotEnter_FailsWithDataDirectoryNotWritable()
    {
        if (!IsRoot()) return; // the unprivileged-account path only exists when running as root
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Combine("private"));
        File.SetUnixFileMode(temp.Combine("private"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var error = await Assert.ThrowsAsync<EmbeddedPostgresException>(() =>
            EmbeddedPostgres.StartAsync(temp.Combine("private", "pg"), Quick(), CancellationToken.None));

        Assert.Equal(EmbeddedPostgresFailure.DataDirectoryNotWritable, error.Failure);
        Assert.Contains("postgres", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_OnAFolderHoldingOtherFiles_RefusesToTouchIt()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Combine("pg"));
        File.WriteAllText(temp.Combine("pg", "notes.txt"), "someone's files");

        var error = await Assert.ThrowsAsync<EmbeddedPostgresException>(() => EmbeddedPostgres.StartAsync(temp.Combine("pg"), Quick(), CancellationToken.None));

        Assert.Equal(EmbeddedPostgresFailure.DataDirectoryInvalid, error.Failure);
        Assert.Equal("someone's files", File.ReadAllText(temp.Combine("pg", "notes.txt")));
    }

    [Fact]
    public async Task OpenLedgerDatabase_WithoutConnectionString_StartsEmbeddedAndDescribesItWithoutPassword()
    {
        using var temp = new TempDirectory();
        var options = new DatabaseOptions { DataDirectory = temp.Combine("pg"), Embedded = Quick() };

        await using (var database = await LedgerDatabase.OpenAsync(options, CancellationToken.None))
        {
            Assert.True(database.IsEmbedded);
            var secret = File.ReadAllText(temp.Combine("pg", "provenance.secret")).Trim();
            Assert.DoesNotContain(secret, database.Describe(), StringComparison.Ordinal);
            Assert.Contains(temp.Combine("pg"), database.Describe(), StringComparison.Ordinal);
            await using var command = database.DataSource.CreateCommand("SELECT 1");
            Assert.Equal(1, await command.ExecuteScalarAsync());
        }

        Assert.False(EmbeddedPostgres.IsServerRunning(temp.Combine("pg")));
    }

    /// <summary>True while the process exists and is not a zombie awaiting its parent.</summary>
    private static bool ProcessRuns(int pid)
    {
        try { return !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z", StringComparison.Ordinal); }
        catch (IOException) { return false; }
    }

    private static bool IsRoot() => Environment.UserName == "root";
}
