using System.Text.Json;
using Provenance.Ledger.Database;
using Provenance.Testing.Postgres;

namespace Provenance.Cli.Tests;

/// <summary><c>provenance generate</c> run as a separate process against a real database: one safety audit line per request.</summary>
public sealed class GenerateCommandTests : IClassFixture<PostgresDatabase>, IDisposable
{
    private readonly PostgresDatabase _db;
    private readonly string _work = Directory.CreateTempSubdirectory("provenance-cli-generate-").FullName;

    public GenerateCommandTests(PostgresDatabase db) => _db = db;

    private string DataDirectory => Path.Combine(_work, "data");

    private Dictionary<string, string> Env => new()
    {
        ["ConnectionStrings__Ledger"] = _db.ConnectionString,
        ["Provenance__DataDirectory"] = DataDirectory,
        ["Provenance__Safety__LogPrompts"] = "true",
        ["PROVENANCE_KEYS_PASSPHRASE"] = "cli-generate-test-passphrase",
    };

    private List<JsonElement> SafetyAuditLinesFor(string prompt)
    {
        var path = Path.Combine(DataDirectory, "safety-audit.jsonl");
        return !File.Exists(path)
            ? []
            : File.ReadAllLines(path).Select(l => JsonDocument.Parse(l).RootElement)
                .Where(line => line.TryGetProperty("prompt", out var p) && p.GetString() == prompt).ToList();
    }

    private async Task<long> LedgerEntryCountAsync()
    {
        await using var count = _db.DataSource.CreateCommand("SELECT count(*) FROM ledger_entries");
        return (long)(await count.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Generate_OfAnAllowedPrompt_ReleasesTheClip_WithOneAuditLine()
    {
        foreach (var step in new[] { new[] { "keys", "init-ca" }, ["keys", "issue"] })
        {
            var made = await CliProcess.RunAsync(Env, _work, step);
            Assert.True(made.ExitCode == 0, made.Stdout + made.Stderr);
        }
        var before = await LedgerEntryCountAsync();
        var output = Path.Combine(_work, "lake.mp4");

        var result = await CliProcess.RunAsync(Env, _work, "generate", "a quiet lake at dusk", "--output", output,
            "--seconds", "1", "--size", "160x96", "--fps", "24");

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.True(File.Exists(output));
        Assert.Equal(before + 1, await LedgerEntryCountAsync());
        var audited = Assert.Single(SafetyAuditLinesFor("a quiet lake at dusk"));
        Assert.True(audited.GetProperty("allowed").GetBoolean());
    }

    [Fact]
    public async Task Generate_OfARefusedPrompt_ExitsThree_WithOneAuditLine_NoClipAndNoLedgerEntry()
    {
        var before = await LedgerEntryCountAsync();
        var output = Path.Combine(_work, "refused.mp4");

        var result = await CliProcess.RunAsync(Env, _work, "generate", "a man being beheaded", "--output", output, "--seconds", "1");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("violence.graphic", result.Stdout);
        Assert.False(File.Exists(output));
        Assert.Empty(Directory.EnumerateFiles(_work, "*.mp4*"));
        Assert.Equal(before, await LedgerEntryCountAsync());
        var audited = Assert.Single(SafetyAuditLinesFor("a man being beheaded"));
        Assert.False(audited.GetProperty("allowed").GetBoolean());
        Assert.Equal("violence.graphic", audited.GetProperty("reasonCode").GetString());
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task Generate_OnANeverMigratedDatabase_MigratesIt_AndRecordsTheClip()
    {
        await using var fresh = await PostgresCluster.CreateDatabaseAsync(migrate: false);
        var env = new Dictionary<string, string>(Env) { ["ConnectionStrings__Ledger"] = fresh.ConnectionString };
        foreach (var step in new[] { new[] { "keys", "init-ca" }, ["keys", "issue"] })
        {
            var made = await CliProcess.RunAsync(env, _work, step);
            Assert.True(made.ExitCode == 0, made.Stdout + made.Stderr);
        }
        var output = Path.Combine(_work, "fresh.mp4");

        var result = await CliProcess.RunAsync(env, _work, "generate", "a red kite over a field", "--output", output,
            "--seconds", "1", "--size", "160x96", "--fps", "24");

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.True(File.Exists(output));
        Assert.True((await new Migrator(fresh.DataSource).GetStatusAsync(CancellationToken.None)).UpToDate);
        await using var count = fresh.DataSource.CreateCommand("SELECT count(*) FROM ledger_entries");
        Assert.Equal(1L, (long)(await count.ExecuteScalarAsync())!);
    }
}
