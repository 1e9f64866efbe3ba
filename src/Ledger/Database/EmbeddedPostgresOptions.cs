namespace Provenance.Ledger.Database;

/// <summary>How the embedded PostgreSQL cluster is created and started.</summary>
public sealed class EmbeddedPostgresOptions
{
    /// <summary>Folder holding initdb, pg_ctl and postgres. Default: <c>PROVENANCE_PG_BIN</c>, then the
    /// newest <c>/usr/lib/postgresql/N/bin</c>, then the folders on <c>PATH</c>.</summary>
    public string? BinDirectory { get; set; }

    /// <summary>The unprivileged account that runs the cluster when this process runs as root.</summary>
    public string RunAsUser { get; set; } = "postgres";

    /// <summary>A fixed TCP port on 127.0.0.1. Null: a Unix socket inside the data folder when its path is
    /// short enough, otherwise a free loopback port.</summary>
    public int? Port { get; set; }

    /// <summary>Listen on a loopback TCP port even when a Unix socket would fit.</summary>
    public bool PreferTcp { get; set; }

    /// <summary>Upper bound for initdb plus start-up.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>Durable commits. Only throw-away clusters (tests) should turn this off.</summary>
    public bool Fsync { get; set; } = true;

    /// <summary>The database the ledger uses inside the cluster; created when missing.</summary>
    public string Database { get; set; } = "provenance";

    /// <summary>Extra server settings written to the cluster's configuration (name → value, unquoted).</summary>
    public IDictionary<string, string> Settings { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
