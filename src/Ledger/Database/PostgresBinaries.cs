namespace Provenance.Ledger.Database;

/// <summary>The PostgreSQL server programs the launcher needs, found in one folder.</summary>
public sealed record PostgresBinaries(string Directory)
{
    public string InitDb => Path.Combine(Directory, "initdb");
    public string PgCtl => Path.Combine(Directory, "pg_ctl");
    public string Postgres => Path.Combine(Directory, "postgres");

    private static readonly string[] Required = ["initdb", "pg_ctl", "postgres"];

    /// <summary>Finds the programs: the configured folder only when one is given, else
    /// <c>PROVENANCE_PG_BIN</c>, the newest <c>/usr/lib/postgresql/N/bin</c>, and <c>PATH</c>.</summary>
    /// <exception cref="EmbeddedPostgresException">with <see cref="EmbeddedPostgresFailure.BinariesMissing"/>.</exception>
    public static PostgresBinaries Locate(string? configuredDirectory)
    {
        if (!string.IsNullOrWhiteSpace(configuredDirectory))
        {
            var dir = Path.GetFullPath(configuredDirectory);
            return HasAll(dir) ? new PostgresBinaries(dir) : throw Missing([dir]);
        }
        var candidates = Candidates().ToList();
        foreach (var dir in candidates)
            if (HasAll(dir)) return new PostgresBinaries(dir);
        throw Missing(candidates);
    }

    private static IEnumerable<string> Candidates()
    {
        if (Environment.GetEnvironmentVariable("PROVENANCE_PG_BIN") is { Length: > 0 } fromEnvironment)
            yield return Path.GetFullPath(fromEnvironment);
        const string debianRoot = "/usr/lib/postgresql";
        if (System.IO.Directory.Exists(debianRoot))
        {
            var versions = System.IO.Directory.EnumerateDirectories(debianRoot)
                .Select(d => (dir: d, ok: int.TryParse(Path.GetFileName(d), out var v), version: v))
                .Where(d => d.ok)
                .OrderByDescending(d => d.version);
            foreach (var (dir, _, _) in versions) yield return Path.Combine(dir, "bin");
        }
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
            yield return dir;
    }

    private static bool HasAll(string dir) => Required.All(name => File.Exists(Path.Combine(dir, name)));

    private static EmbeddedPostgresException Missing(IEnumerable<string> searched) => new(
        EmbeddedPostgresFailure.BinariesMissing,
        "PostgreSQL server programs (initdb, pg_ctl, postgres) were not found in: " + string.Join(", ", searched) +
        ". Install the PostgreSQL server (Debian: apt-get install postgresql), set PROVENANCE_PG_BIN to its bin folder, " +
        "or configure ConnectionStrings:Ledger to use an existing server.");
}
