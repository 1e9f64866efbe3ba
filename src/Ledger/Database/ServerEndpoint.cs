using System.Globalization;
using Npgsql;

namespace Provenance.Ledger.Database;

/// <summary>Where a PostgreSQL server listens: a Unix socket folder (Host starts with '/') or a TCP host.</summary>
public sealed record ServerEndpoint(string Host, int Port)
{
    public bool IsUnixSocket => Host.StartsWith('/');

    internal string ConnectionString(string database, string password) => new NpgsqlConnectionStringBuilder
    {
        Host = Host,
        Port = Port,
        Username = EmbeddedPostgres.SuperUser,
        Password = password,
        Database = database,
        Timeout = 15,
    }.ConnectionString;

    public override string ToString() => IsUnixSocket
        ? string.Create(CultureInfo.InvariantCulture, $"unix socket {Path.Combine(Host, $".s.PGSQL.{Port}")}")
        : string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}");
}
