namespace Provenance.Ledger.Database;

/// <summary>
/// Where the ledger's PostgreSQL lives. With no <see cref="ConnectionString"/> the project starts its own
/// cluster of the machine's PostgreSQL in <see cref="DataDirectory"/> (relative paths resolve against the
/// working directory). Configuration keys: <c>ConnectionStrings:Ledger</c> and <c>Provenance:DataDirectory</c>.
/// </summary>
public sealed class DatabaseOptions
{
    /// <summary>An external PostgreSQL; when set, no embedded cluster is started.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The embedded cluster's data folder.</summary>
    public string DataDirectory { get; set; } = ".data/pg";

    /// <summary>Settings for the embedded cluster (binaries, user, timeouts); defaults suit a real deployment.</summary>
    public EmbeddedPostgresOptions Embedded { get; set; } = new();
}
