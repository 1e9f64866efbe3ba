using System.CommandLine;
using Provenance.Api.Hosting;
using Provenance.Ledger.Database;

namespace Provenance.Cli.Commands;

/// <summary><c>provenance db migrate | status</c>: the ledger database's schema.</summary>
internal static class DbCommands
{
    public static Command Create()
    {
        var db = new Command("db", "The ledger database: apply migrations, show their state.");
        db.Subcommands.Add(CreateMigrate());
        db.Subcommands.Add(CreateStatus());
        return db;
    }

    private static Command CreateMigrate()
    {
        var options = new DatabaseCommandOptions();
        var cmd = new Command("migrate", "Apply the pending numbered migrations of db/ (each in one transaction).");
        options.AddTo(cmd);
        cmd.SetAction(async (parse, ct) => await DatabaseCommandOptions.RunAsync(options.Read(parse), async database =>
        {
            var migrator = new Migrator(database.DataSource, parse.GetValue(options.Migrations));
            var applied = await migrator.MigrateAsync(ct);
            Console.WriteLine(applied.Count == 0
                ? $"up to date ({database.Describe()})"
                : $"applied {string.Join(", ", applied)} ({database.Describe()})");
            return 0;
        }, ct));
        return cmd;
    }

    private static Command CreateStatus()
    {
        var options = new DatabaseCommandOptions();
        var cmd = new Command("status", "Show applied, pending and changed migrations; exit code 1 when not up to date.");
        options.AddTo(cmd);
        cmd.SetAction(async (parse, ct) => await DatabaseCommandOptions.RunAsync(options.Read(parse), async database =>
        {
            var status = await new Migrator(database.DataSource, parse.GetValue(options.Migrations)).GetStatusAsync(ct);
            Console.WriteLine(database.Describe());
            foreach (var name in status.Applied) Console.WriteLine($"applied  {name}");
            foreach (var name in status.Pending) Console.WriteLine($"pending  {name}");
            foreach (var name in status.Changed) Console.WriteLine($"CHANGED  {name} (edited after it was applied)");
            foreach (var name in status.Unknown) Console.WriteLine($"UNKNOWN  {name} (applied, but not in this build)");
            Console.WriteLine(status.UpToDate ? "up to date" : "not up to date");
            return status.UpToDate ? 0 : 1;
        }, ct));
        return cmd;
    }
}

/// <summary>Where the ledger database is: options, then the service's configuration (appsettings.json, environment
/// variables <c>ConnectionStrings__Ledger</c> and <c>Provenance__DataDirectory</c>), then the embedded cluster in
/// <c>.data/pg</c>.</summary>
internal sealed class DatabaseCommandOptions
{
    public Option<string?> ConnectionString { get; } = new("--connection-string") { Description = "PostgreSQL connection string (default: ConnectionStrings:Ledger; none: embedded cluster)." };
    public Option<string?> DataDirectory { get; } = new("--data-dir") { Description = "Data folder holding the embedded cluster in pg/ (default: Provenance:DataDirectory or .data)." };
    public Option<string?> Migrations { get; } = new("--migrations") { Description = "Folder of NNNN_name.sql files (default: db/ beside the program)." };

    public void AddTo(Command command)
    {
        command.Options.Add(ConnectionString);
        command.Options.Add(DataDirectory);
        command.Options.Add(Migrations);
    }

    public DatabaseOptions Read(ParseResult parse)
    {
        var options = DatabaseProvider.ReadOptions(CliHost.LoadConfiguration());
        if (parse.GetValue(ConnectionString) is { Length: > 0 } connectionString) options.ConnectionString = connectionString;
        if (parse.GetValue(DataDirectory) is { Length: > 0 } dataDirectory) options.DataDirectory = Path.Combine(dataDirectory, "pg");
        return options;
    }

    /// <summary>Opens the database, runs <paramref name="work"/>, and turns the ledger's typed errors into messages and exit codes.</summary>
    public static async Task<int> RunAsync(DatabaseOptions options, Func<LedgerDatabase, Task<int>> work, CancellationToken ct)
    {
        try
        {
            await using var database = await LedgerDatabase.OpenAsync(options, ct);
            return await work(database);
        }
        catch (EmbeddedPostgresException e)
        {
            Console.Error.WriteLine($"error: embedded PostgreSQL ({e.Failure}): {e.Message}");
            return 2;
        }
        catch (MigrationException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
        catch (Npgsql.NpgsqlException e)
        {
            Console.Error.WriteLine($"error: database: {e.Message}");
            return 2;
        }
    }
}
