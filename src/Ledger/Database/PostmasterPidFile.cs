using System.Globalization;

namespace Provenance.Ledger.Database;

/// <summary>The server's <c>postmaster.pid</c>: process id, port, socket folder, listen address, status.</summary>
internal sealed record PostmasterPidFile(int ProcessId, int Port, string SocketDirectory, string ListenAddress, string Status)
{
    public const string FileName = "postmaster.pid";

    public static PostmasterPidFile? Read(string dataDirectory)
    {
        string[] lines;
        try { lines = File.ReadAllLines(Path.Combine(dataDirectory, FileName)); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
        if (lines.Length < 1 || !int.TryParse(lines[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) return null;
        string Line(int i) => lines.Length > i ? lines[i].Trim() : "";
        _ = int.TryParse(Line(3), NumberStyles.None, CultureInfo.InvariantCulture, out var port);
        return new PostmasterPidFile(pid, port, Line(4), Line(5), Line(7));
    }

    public bool IsReady => Status == "ready";

    public bool IsProcessAlive() =>
        LinuxProcesses.IsAlive(ProcessId) && LinuxProcesses.CommandName(ProcessId) is { } name && name.StartsWith("postgres", StringComparison.Ordinal);

    public ServerEndpoint? Endpoint => Port <= 0 ? null
        : SocketDirectory.Length > 0 ? new ServerEndpoint(SocketDirectory, Port)
        : ListenAddress is "" or "*" or "0.0.0.0" ? new ServerEndpoint("127.0.0.1", Port)
        : new ServerEndpoint(ListenAddress.Split(',')[0].Trim(), Port);
}

/// <summary>Which process started the server (<c>provenance.owner</c>: pid and start ticks, so a reused pid is not mistaken).</summary>
internal sealed record ServerOwner(int ProcessId, long StartTicks)
{
    public static ServerOwner Current() => new(Environment.ProcessId, LinuxProcesses.StartTicks(Environment.ProcessId) ?? 0);

    public static ServerOwner? Read(string dataDirectory)
    {
        try
        {
            var parts = File.ReadAllText(Path.Combine(dataDirectory, EmbeddedPostgres.OwnerFileName)).Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            return parts.Length == 2
                && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                ? new ServerOwner(pid, ticks) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    public bool IsAlive => LinuxProcesses.StartTicks(ProcessId) == StartTicks;

    public void Write(string dataDirectory) => File.WriteAllText(Path.Combine(dataDirectory, EmbeddedPostgres.OwnerFileName),
        string.Create(CultureInfo.InvariantCulture, $"{ProcessId} {StartTicks}\n"));
}
