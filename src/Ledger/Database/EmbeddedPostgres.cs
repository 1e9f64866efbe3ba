using System.Globalization;
using Npgsql;

namespace Provenance.Ledger.Database;

/// <summary>
/// A private PostgreSQL cluster in a data folder, made with the machine's own PostgreSQL programs. The first
/// start runs initdb; later starts reuse the cluster. Runs the server as an unprivileged account when this
/// process is root, listens on a Unix socket inside the data folder (or a loopback port), recovers from a
/// crashed server (stale postmaster.pid, orphaned server processes) and stops the server on dispose or exit.
/// A second process that starts on a folder whose server another live process runs joins that server and
/// leaves stopping it to its owner.
/// </summary>
public sealed partial class EmbeddedPostgres : IAsyncDisposable
{
    internal const string SuperUser = "provenance";
    internal const string SecretFileName = "provenance.secret";
    internal const string ConfigFileName = "provenance.conf";
    internal const string OwnerFileName = "provenance.owner";
    internal const string LogFileName = "provenance-server.log";
    private const int SocketPort = 5432;

    private readonly PostgresBinaries _binaries;
    private readonly CommandRunner _runner;
    private readonly EmbeddedPostgresOptions _options;
    private readonly SemaphoreSlim _stopGate = new(1, 1);
    private bool _stopped;

    private EmbeddedPostgres(string dataDirectory, PostgresBinaries binaries, CommandRunner runner, EmbeddedPostgresOptions options,
        ServerEndpoint endpoint, string password, bool ownsServer, int serverProcessId)
    {
        DataDirectory = dataDirectory;
        _binaries = binaries;
        _runner = runner;
        _options = options;
        Endpoint = endpoint;
        OwnsServer = ownsServer;
        ServerProcessId = serverProcessId;
        AdminConnectionString = endpoint.ConnectionString("postgres", password);
        ConnectionString = endpoint.ConnectionString(options.Database, password);
    }

    /// <summary>The absolute data folder.</summary>
    public string DataDirectory { get; }

    /// <summary>Connection string to the ledger's database (<see cref="EmbeddedPostgresOptions.Database"/>).</summary>
    public string ConnectionString { get; }

    /// <summary>Connection string to the cluster's maintenance database <c>postgres</c> (to create or drop databases).</summary>
    public string AdminConnectionString { get; }

    /// <summary>Where the server listens.</summary>
    public ServerEndpoint Endpoint { get; }

    /// <summary>False when this instance joined a server that another live process started (and will stop).</summary>
    public bool OwnsServer { get; }

    /// <summary>The postmaster's process id.</summary>
    public int ServerProcessId { get; }

    public static Task<EmbeddedPostgres> StartAsync(string dataDirectory, CancellationToken ct) =>
        StartAsync(dataDirectory, new EmbeddedPostgresOptions(), ct);

    /// <summary>Creates the cluster if needed and starts it (or joins it when already running).</summary>
    /// <exception cref="EmbeddedPostgresException">binaries missing, folder not writable, port busy, start failed or timed out.</exception>
    public static async Task<EmbeddedPostgres> StartAsync(string dataDirectory, EmbeddedPostgresOptions options, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        ArgumentNullException.ThrowIfNull(options);
        if (!OperatingSystem.IsLinux())
            throw new PlatformNotSupportedException("the embedded PostgreSQL launcher runs on Linux; configure ConnectionStrings:Ledger elsewhere");
        var dir = Path.TrimEndingDirectorySeparator(Path.GetFullPath(dataDirectory));
        var binaries = PostgresBinaries.Locate(options.BinDirectory);
        UnixAccount? runAs = null;
        if (UnixAccount.IsRoot)
        {
            runAs = UnixAccount.Find(options.RunAsUser) ?? throw new EmbeddedPostgresException(EmbeddedPostgresFailure.UserMissing,
                $"PostgreSQL refuses to run as root and the account '{options.RunAsUser}' to run it as does not exist; " +
                "create it (useradd --system postgres) or set RunAsUser.");
        }
        var runner = new CommandRunner(runAs);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(options.StartTimeout);
        try
        {
            await using var startLock = await DataDirectoryLock.AcquireAsync(dir, deadline.Token).ConfigureAwait(false);
            var launcher = new Launcher(dir, binaries, runner, options);
            var instance = await launcher.StartOrJoinAsync(deadline.Token).ConfigureAwait(false);
            try
            {
                await instance.EnsureDatabaseAsync(deadline.Token).ConfigureAwait(false);
            }
            catch
            {
                await instance.StopAsync(CancellationToken.None).ConfigureAwait(false);
                throw;
            }
            if (instance.OwnsServer) AppDomain.CurrentDomain.ProcessExit += instance.OnProcessExit;
            return instance;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new EmbeddedPostgresException(EmbeddedPostgresFailure.StartFailed,
                $"PostgreSQL in {dir} did not start within {options.StartTimeout.TotalSeconds:0} s; see {Path.Combine(dir, LogFileName)}.");
        }
    }

    /// <summary>Stops the server if this instance owns it (fast shutdown: sessions end, committed data is kept).</summary>
    public async Task StopAsync(CancellationToken ct)
    {
        await _stopGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_stopped) return;
            _stopped = true;
            AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
            NpgsqlConnection.ClearAllPools();
            if (!OwnsServer) return;
            await using var stopLock = await DataDirectoryLock.AcquireAsync(DataDirectory, ct).ConfigureAwait(false);
            // After a crash and restart the folder may hold a newer server that this instance does not own.
            if (PostmasterPidFile.Read(DataDirectory) is not { } pidFile || pidFile.ProcessId != ServerProcessId || !pidFile.IsProcessAlive())
                return;
            var fast = await _runner.RunAsync(_binaries.PgCtl, ["stop", "-D", DataDirectory, "-m", "fast", "-w", "-t", "60"], TimeSpan.FromSeconds(75), ct).ConfigureAwait(false);
            if (!fast.Succeeded && IsServerRunning(DataDirectory))
            {
                var immediate = await _runner.RunAsync(_binaries.PgCtl, ["stop", "-D", DataDirectory, "-m", "immediate", "-w", "-t", "30"], TimeSpan.FromSeconds(45), ct).ConfigureAwait(false);
                if (!immediate.Succeeded && IsServerRunning(DataDirectory))
                    throw new EmbeddedPostgresException(EmbeddedPostgresFailure.StopFailed, $"PostgreSQL in {DataDirectory} did not stop: {immediate.Combined}");
            }
            TryDelete(Path.Combine(DataDirectory, OwnerFileName));
        }
        finally
        {
            _stopGate.Release();
        }
    }

    /// <summary>Stops (immediately) a server left running in <paramref name="dataDirectory"/> by a process that no
    /// longer exists, e.g. a killed test run. Returns true when one was stopped; a server whose owner lives is left alone.</summary>
    public static async Task<bool> StopAbandonedAsync(string dataDirectory, EmbeddedPostgresOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!OperatingSystem.IsLinux()) return false;
        var dir = Path.TrimEndingDirectorySeparator(Path.GetFullPath(dataDirectory));
        if (PostmasterPidFile.Read(dir) is not { } pidFile || !pidFile.IsProcessAlive()) return false;
        if (ServerOwner.Read(dir) is { IsAlive: true }) return false;
        var binaries = PostgresBinaries.Locate(options.BinDirectory);
        var runAs = UnixAccount.IsRoot ? UnixAccount.Find(options.RunAsUser) : null;
        var stop = await new CommandRunner(runAs).RunAsync(binaries.PgCtl, ["stop", "-D", dir, "-m", "immediate", "-w", "-t", "30"], TimeSpan.FromSeconds(45), ct).ConfigureAwait(false);
        return stop.Succeeded;
    }

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None).ConfigureAwait(false);

    private void OnProcessExit(object? sender, EventArgs e)
    {
        try { StopAsync(CancellationToken.None).GetAwaiter().GetResult(); }
        catch (EmbeddedPostgresException) { }
        catch (IOException) { }
    }

    private async Task EnsureDatabaseAsync(CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync(ct).ConfigureAwait(false);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection);
        exists.Parameters.Add(new NpgsqlParameter { Value = _options.Database });
        if (await exists.ExecuteScalarAsync(ct).ConfigureAwait(false) is not null) return;
        await using var create = new NpgsqlCommand($"CREATE DATABASE {QuoteIdentifier(_options.Database)}", connection);
        try { await create.ExecuteNonQueryAsync(ct).ConfigureAwait(false); }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase) { }
    }

    internal static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>True when postmaster.pid names a live PostgreSQL process.</summary>
    internal static bool IsServerRunning(string dataDirectory) =>
        PostmasterPidFile.Read(dataDirectory) is { } pidFile && pidFile.IsProcessAlive();

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"embedded PostgreSQL in {DataDirectory} ({Endpoint})");
}
