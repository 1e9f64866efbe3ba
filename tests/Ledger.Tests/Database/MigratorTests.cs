using Npgsql;
using Provenance.Ledger.Database;
using Provenance.Testing.Postgres;

namespace Provenance.Ledger.Tests.Database;

/// <summary>The migrator against fresh databases of the shared test cluster.</summary>
public sealed class MigratorTests
{
    private static string[] ShippedFiles() => Directory.GetFiles(Migrator.DefaultDirectory, "*.sql").Select(Path.GetFileName).Order().ToArray()!;

    private static async Task<long> CountAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static TempDirectory FolderWith(params (string Name, string Sql)[] files)
    {
        var folder = new TempDirectory();
        foreach (var (name, sql) in files) File.WriteAllText(folder.Combine(name), sql);
        return folder;
    }

    [Fact]
    public async Task Migrate_AFreshDatabase_AppliesTheShippedFilesOnceAndThenNothing()
    {
        await using var db = await PostgresCluster.CreateDatabaseAsync(migrate: false);
        var migrator = new Migrator(db.DataSource);
        Assert.False((await migrator.GetStatusAsync(CancellationToken.None)).UpToDate);

        var first = await migrator.MigrateAsync(CancellationToken.None);
        var second = await migrator.MigrateAsync(CancellationToken.None);

        Assert.NotEmpty(first);
        Assert.Equal(ShippedFiles(), first);
        Assert.Empty(second);
        var status = await migrator.GetStatusAsync(CancellationToken.None);
        Assert.True(status.UpToDate);
        Assert.Equal(first, status.Applied);
        Assert.Equal(first.Count, await CountAsync(db.DataSource, "SELECT count(*) FROM schema_migrations"));
    }

    [Fact]
    public async Task Migrate_AfterAnAppliedFileWasEdited_RefusesAndNamesTheFile()
    {
        await using var db = await PostgresCluster.CreateDatabaseAsync(migrate: false);
        using var folder = FolderWith(("0001_first.sql", "CREATE TABLE first (v int);"), ("0002_second.sql", "CREATE TABLE second (v int);"));
        await new Migrator(db.DataSource, folder.Path).MigrateAsync(CancellationToken.None);
        File.WriteAllText(folder.Combine("0001_first.sql"), "CREATE TABLE first (v bigint);");
        File.WriteAllText(folder.Combine("0003_third.sql"), "CREATE TABLE third (v int);");
        var migrator = new Migrator(db.DataSource, folder.Path);

        var error = await Assert.ThrowsAsync<MigrationException>(() => migrator.MigrateAsync(CancellationToken.None));

        Assert.Equal("0001_first.sql", error.FileName);
        Assert.Contains("checksum", error.Message, StringComparison.Ordinal);
        var status = await migrator.GetStatusAsync(CancellationToken.None);
        Assert.Equal(["0001_first.sql"], status.Changed);
        Assert.Equal(["0003_third.sql"], status.Pending);
        Assert.Equal(0, await CountAsync(db.DataSource, "SELECT count(*) FROM pg_tables WHERE tablename = 'third'"));
    }

    [Fact]
    public async Task Migrate_WhenAFileWithOnlyDifferentLineEndingsIsSeen_TreatsItAsUnchanged()
    {
        await using var db = await PostgresCluster.CreateDatabaseAsync(migrate: false);
        using var folder = FolderWith(("0001_first.sql", "CREATE TABLE first (v int);\nCREATE TABLE other (v int);\n"));
        await new Migrator(db.DataSource, folder.Path).MigrateAsync(CancellationToken.None);
        File.WriteAllText(folder.Combine("0001_first.sql"), "CREATE TABLE first (v int);\r\nCREATE TABLE other (v int);\r\n");

        Assert.Empty(await new Migrator(db.DataSource, folder.Path).MigrateAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Migrate_AFileWhoseSqlFails_NamesTheFileAndLeavesNothingOfItBehind()
    {
        await using var db = await PostgresCluster.CreateDatabaseAsync(migrate: false);
        using var folder = FolderWith(("0001_good.sql", "CREATE TABLE good (v int);"),
            ("0002_broken.sql", "CREATE TABLE half (v int);\nINSERT INTO missing_table VALUES (1);"));

        var error = await Assert.ThrowsAsync<MigrationException>(() => new Migrator(db.DataSource, folder.Path).MigrateAsync(CancellationToken.None));

        Assert.Equal("0002_broken.sql", error.FileName);
        Assert.IsType<PostgresException>(error.InnerException);
        Assert.Equal(1, await CountAsync(db.DataSource, "SELECT count(*) FROM pg_tables WHERE tablename = 'good'"));
        Assert.Equal(0, await CountAsync(db.DataSource, "SELECT count(*) FROM pg_tables WHERE tablename = 'half'"));
        Assert.Equal(1, await CountAsync(db.DataSource, "SELECT count(*) FROM schema_migrations"));
    }

    [Theory]
    [InlineData("1_short.sql")]
    [InlineData("0001-dash.sql")]
    [InlineData("0001_Upper.sql")]
    public async Task Migrate_AFileNamedOutsideThePattern_IsRefused(string badName)
    {
        await using var db = await PostgresCluster.CreateDatabaseAsync(migrate: false);
        using var folder = FolderWith(("0001_good.sql", "CREATE TABLE good (v int);"), (badName, "SELECT 1;"));

        var error = await Assert.ThrowsAsync<MigrationException>(() => new Migrator(db.DataSource, folder.Path).MigrateAsync(CancellationToken.None));

        Assert.Equal(badName, error.FileName);
        Assert.Equal(0, await CountAsync(db.DataSource, "SELECT count(*) FROM pg_tables WHERE tablename = 'good'"));
    }

    [Fact]
    public async Task Migrate_ADatabaseAheadOfTheFolder_IsRefused()
    {
        await using var db = await PostgresCluster.CreateDatabaseAsync(migrate: false);
        using var newer = FolderWith(("0001_a.sql", "CREATE TABLE a (v int);"), ("0002_b.sql", "CREATE TABLE b (v int);"));
        using var older = FolderWith(("0001_a.sql", "CREATE TABLE a (v int);"));
        await new Migrator(db.DataSource, newer.Path).MigrateAsync(CancellationToken.None);

        var error = await Assert.ThrowsAsync<MigrationException>(() => new Migrator(db.DataSource, older.Path).MigrateAsync(CancellationToken.None));

        Assert.Equal("0002_b.sql", error.FileName);
        Assert.Equal(["0002_b.sql"], (await new Migrator(db.DataSource, older.Path).GetStatusAsync(CancellationToken.None)).Unknown);
    }

    [Fact]
    public async Task Migrate_ByEightMigratorsAtOnce_AppliesEachFileExactlyOnce()
    {
        await using var db = await PostgresCluster.CreateDatabaseAsync(migrate: false);
        // Not idempotent on purpose: a second run of any file would fail.
        using var folder = FolderWith(
            ("0001_a.sql", "CREATE TABLE a (v int); INSERT INTO a VALUES (1);"),
            ("0002_b.sql", "CREATE TABLE b (v int); SELECT pg_sleep(0.05);"),
            ("0003_c.sql", "INSERT INTO a VALUES (2);"));

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            Task.Run(() => new Migrator(db.DataSource, folder.Path).MigrateAsync(CancellationToken.None))));

        Assert.Equal(["0001_a.sql", "0002_b.sql", "0003_c.sql"], results.SelectMany(r => r).Order());
        Assert.Equal(2, await CountAsync(db.DataSource, "SELECT count(*) FROM a"));
    }
}
