using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Provenance.Ledger.Database;

public sealed partial class EmbeddedPostgres
{
    /// <summary>The steps of one start: prepare the folder, initdb once, join a running server or recover and start.</summary>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private sealed class Launcher(string dir, PostgresBinaries binaries, CommandRunner runner, EmbeddedPostgresOptions options)
    {
        private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        private readonly DateTime _deadline = DateTime.UtcNow + options.StartTimeout;

        public async Task<EmbeddedPostgres> StartOrJoinAsync(CancellationToken ct)
        {
            await PrepareDirectoryAsync(ct).ConfigureAwait(false);
            var serverRunning = PostmasterPidFile.Read(dir)?.IsProcessAlive() == true;
            if (options.Port is { } port && !serverRunning && !IsPortFree(port))
                throw new EmbeddedPostgresException(EmbeddedPostgresFailure.PortBusy,
                    $"port {port} on 127.0.0.1 is taken by another process; choose another port or leave it unset.");
            if (!File.Exists(Path.Combine(dir, "PG_VERSION")))
            {
                if (Directory.EnumerateFileSystemEntries(dir).Any())
                    throw new EmbeddedPostgresException(EmbeddedPostgresFailure.DataDirectoryInvalid,
                        $"{dir} is neither empty nor a PostgreSQL cluster; choose another Provenance:DataDirectory.");
                await InitAsync(ct).ConfigureAwait(false);
            }
            var password = ReadSecret();

            if (PostmasterPidFile.Read(dir) is { } running && running.IsProcessAlive())
                return await JoinAsync(running, password, ct).ConfigureAwait(false);

            for (var attempt = 1; ; attempt++)
            {
                await RecoverFromCrashAsync(ct).ConfigureAwait(false);
                var endpoint = ChooseEndpoint();
                WriteConfig(endpoint);
                var logPath = Path.Combine(dir, LogFileName);
                var logStart = File.Exists(logPath) ? new FileInfo(logPath).Length : 0;
                var seconds = Math.Max(1, (int)(_deadline - DateTime.UtcNow).TotalSeconds);
                var start = await runner.RunAsync(binaries.PgCtl,
                    ["start", "-D", dir, "-l", logPath, "-w", "-t", seconds.ToString(CultureInfo.InvariantCulture), "-s"],
                    TimeSpan.FromSeconds(seconds + 5), ct).ConfigureAwait(false);
                if (start.Succeeded && PostmasterPidFile.Read(dir) is { } started && started.IsProcessAlive())
                {
                    ServerOwner.Current().Write(dir);
                    return new EmbeddedPostgres(dir, binaries, runner, options, endpoint, password, ownsServer: true, started.ProcessId);
                }
                var log = ReadLogFrom(logPath, logStart);
                if (log.Contains("could not bind", StringComparison.Ordinal) || log.Contains("Address already in use", StringComparison.Ordinal))
                {
                    if (options.Port is not null)
                        throw new EmbeddedPostgresException(EmbeddedPostgresFailure.PortBusy,
                            $"port {options.Port} on 127.0.0.1 is taken by another process; choose another port or leave it unset. Server log:\n{log}");
                    if (attempt < 3) continue;
                }
                else if (attempt < 3 && (log.Contains("shared memory block", StringComparison.Ordinal) || log.Contains("lock file", StringComparison.Ordinal)))
                {
                    continue;
                }
                throw new EmbeddedPostgresException(EmbeddedPostgresFailure.StartFailed,
                    $"PostgreSQL in {dir} did not start: {start.Combined}\nServer log:\n{log}");
            }
        }

        private async Task<EmbeddedPostgres> JoinAsync(PostmasterPidFile running, string password, CancellationToken ct)
        {
            var current = running;
            while (!current.IsReady)
            {
                await Task.Delay(100, ct).ConfigureAwait(false);
                current = PostmasterPidFile.Read(dir) ?? current;
                if (!current.IsProcessAlive())
                    throw new EmbeddedPostgresException(EmbeddedPostgresFailure.StartFailed, $"the PostgreSQL server in {dir} stopped while starting.");
            }
            var endpoint = current.Endpoint ?? throw new EmbeddedPostgresException(EmbeddedPostgresFailure.StartFailed,
                $"the PostgreSQL server running in {dir} does not say where it listens ({PostmasterPidFile.FileName}).");
            // An owner that is still alive keeps the duty to stop the server; a dead owner's server is adopted.
            var owner = ServerOwner.Read(dir);
            var adopt = owner is null || !owner.IsAlive;
            if (adopt) ServerOwner.Current().Write(dir);
            return new EmbeddedPostgres(dir, binaries, runner, options, endpoint, password, adopt, current.ProcessId);
        }

        private async Task PrepareDirectoryAsync(CancellationToken ct)
        {
            try
            {
                Directory.CreateDirectory(dir);
                if (runner.RunAs is { } account) account.Own(dir);
                File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw NotWritable(e.Message, e);
            }
            if (runner.RunAs is { } runAs)
            {
                var probe = await runner.RunAsync("test", ["-w", dir, "-a", "-x", dir], TimeSpan.FromSeconds(10), ct).ConfigureAwait(false);
                if (!probe.Succeeded)
                    throw NotWritable($"the account '{runAs.Name}' that runs PostgreSQL cannot enter or write it; every parent folder must be searchable by that account (chmod o+x)", null);
            }
            else
            {
                var probe = Path.Combine(dir, ".provenance-write-probe");
                try { File.WriteAllBytes(probe, []); File.Delete(probe); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw NotWritable(e.Message, e); }
            }
        }

        private EmbeddedPostgresException NotWritable(string why, Exception? inner) =>
            new(EmbeddedPostgresFailure.DataDirectoryNotWritable, $"the PostgreSQL data directory {dir} is not usable: {why}", inner);

        private async Task InitAsync(CancellationToken ct)
        {
            var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
            var passwordFile = Path.Combine(Path.GetTempPath(), $"provenance-initdb-{Guid.NewGuid():N}");
            File.WriteAllText(passwordFile, password + "\n");
            File.SetUnixFileMode(passwordFile, OwnerOnly);
            try
            {
                runner.RunAs?.Own(passwordFile);
                List<string> arguments = ["-D", dir, "-U", SuperUser, "--pwfile", passwordFile, "--auth", "scram-sha-256",
                    "--encoding", "UTF8", "--locale", "C", "--no-instructions"];
                if (!options.Fsync) arguments.Add("--no-sync");
                var seconds = Math.Max(1, (_deadline - DateTime.UtcNow).TotalSeconds);
                var init = await runner.RunAsync(binaries.InitDb, arguments, TimeSpan.FromSeconds(seconds), ct).ConfigureAwait(false);
                if (!init.Succeeded)
                    throw new EmbeddedPostgresException(EmbeddedPostgresFailure.InitFailed, $"initdb for {dir} failed: {init.Combined}");
            }
            finally
            {
                File.Delete(passwordFile);
            }
            WriteOwned(SecretFileName, password + "\n");
            File.AppendAllText(Path.Combine(dir, "postgresql.conf"), $"\n# Provenance: settings rewritten at every start\ninclude_if_exists = '{ConfigFileName}'\n");
        }

        private string ReadSecret()
        {
            try
            {
                return File.ReadAllText(Path.Combine(dir, SecretFileName)).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new EmbeddedPostgresException(EmbeddedPostgresFailure.DataDirectoryInvalid,
                    $"{dir} holds a PostgreSQL cluster that this launcher did not create ({SecretFileName} is missing); " +
                    "remove the folder to start afresh, or configure ConnectionStrings:Ledger for an existing server.", e);
            }
        }

        /// <summary>After a crash the pid file may be stale and the dead server's children may still hold its
        /// shared memory: end those orphans (they belong to no live server) and remove the stale file.</summary>
        private async Task RecoverFromCrashAsync(CancellationToken ct)
        {
            var orphans = LinuxProcesses.PostgresProcessesIn(dir);
            foreach (var pid in orphans) LinuxProcesses.Kill(pid);
            while (orphans.Any(LinuxProcesses.IsAlive)) await Task.Delay(20, ct).ConfigureAwait(false);
            var pidPath = Path.Combine(dir, PostmasterPidFile.FileName);
            var pidFile = PostmasterPidFile.Read(dir);
            if (File.Exists(pidPath) && (pidFile is null || !pidFile.IsProcessAlive()))
                File.Delete(pidPath);
            // A killed server may linger as a zombie, which PostgreSQL takes for a live owner of its socket lock.
            foreach (var socketLock in Directory.EnumerateFiles(dir, ".s.PGSQL.*.lock"))
            {
                var firstLine = File.ReadLines(socketLock).FirstOrDefault()?.Trim();
                if (int.TryParse(firstLine, NumberStyles.None, CultureInfo.InvariantCulture, out var owner) && LinuxProcesses.IsAlive(owner)) continue;
                File.Delete(socketLock);
                File.Delete(socketLock[..^".lock".Length]);
            }
        }

        private ServerEndpoint ChooseEndpoint()
        {
            if (options.Port is { } port)
            {
                if (!IsPortFree(port))
                    throw new EmbeddedPostgresException(EmbeddedPostgresFailure.PortBusy,
                        $"port {port} on 127.0.0.1 is taken by another process; choose another port or leave it unset.");
                return new ServerEndpoint("127.0.0.1", port);
            }
            // sun_path holds 107 bytes; keep a margin.
            if (!options.PreferTcp && Encoding.UTF8.GetByteCount(Path.Combine(dir, $".s.PGSQL.{SocketPort}")) < 100)
                return new ServerEndpoint(dir, SocketPort);
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var free = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return new ServerEndpoint("127.0.0.1", free);
        }

        private static bool IsPortFree(int port)
        {
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                listener.Stop();
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }

        private void WriteConfig(ServerEndpoint endpoint)
        {
            var settings = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["listen_addresses"] = endpoint.IsUnixSocket ? "" : endpoint.Host,
                ["unix_socket_directories"] = endpoint.IsUnixSocket ? endpoint.Host : "",
                ["port"] = endpoint.Port.ToString(CultureInfo.InvariantCulture),
                ["fsync"] = options.Fsync ? "on" : "off",
                ["full_page_writes"] = options.Fsync ? "on" : "off",
                ["max_connections"] = "200",
            };
            if (!options.Fsync) settings["synchronous_commit"] = "off";
            foreach (var (name, value) in options.Settings) settings[name] = value;
            var text = new StringBuilder("# Written by Provenance's embedded PostgreSQL launcher at every start; change its options instead.\n");
            foreach (var (name, value) in settings)
                text.Append(name).Append(" = '").Append(value.Replace("'", "''", StringComparison.Ordinal)).Append("'\n");
            WriteOwned(ConfigFileName, text.ToString());
        }

        private void WriteOwned(string name, string content)
        {
            var path = Path.Combine(dir, name);
            File.WriteAllText(path, content);
            File.SetUnixFileMode(path, OwnerOnly);
            runner.RunAs?.Own(path);
        }

        private static string ReadLogFrom(string path, long offset)
        {
            try
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                stream.Seek(Math.Max(offset, stream.Length - 8192), SeekOrigin.Begin);
                using var reader = new StreamReader(stream);
                return reader.ReadToEnd().Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return "(no server log)";
            }
        }
    }
}
