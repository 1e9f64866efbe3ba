namespace Provenance.Ledger.Database;

/// <summary>Migrations cannot proceed: an applied file changed (checksum), a file is misnamed or missing, or a
/// file's SQL failed (the message names the file; the inner exception holds the server's error).</summary>
public sealed class MigrationException : Exception
{
    public MigrationException(string message, Exception? inner = null) : base(message, inner) { }

    /// <summary>The migration file concerned, when one is.</summary>
    public string? FileName { get; init; }
}
