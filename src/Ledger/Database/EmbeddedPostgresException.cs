namespace Provenance.Ledger.Database;

/// <summary>Why the embedded cluster could not be created, started or stopped.</summary>
public enum EmbeddedPostgresFailure
{
    /// <summary>initdb, pg_ctl or postgres was not found.</summary>
    BinariesMissing,
    /// <summary>The data folder cannot be created or written by the account that runs the cluster.</summary>
    DataDirectoryNotWritable,
    /// <summary>The data folder holds something that is not a cluster made by this launcher.</summary>
    DataDirectoryInvalid,
    /// <summary>The configured port is taken by another process.</summary>
    PortBusy,
    /// <summary>The unprivileged account to run as does not exist.</summary>
    UserMissing,
    /// <summary>initdb failed.</summary>
    InitFailed,
    /// <summary>The server did not start, or not within the time allowed.</summary>
    StartFailed,
    /// <summary>The server did not stop.</summary>
    StopFailed,
}

/// <summary>The embedded PostgreSQL launcher failed; <see cref="Failure"/> says why, the message says what to do.</summary>
public sealed class EmbeddedPostgresException : Exception
{
    public EmbeddedPostgresException(EmbeddedPostgresFailure failure, string message, Exception? inner = null)
        : base(message, inner) => Failure = failure;

    public EmbeddedPostgresFailure Failure { get; }
}
