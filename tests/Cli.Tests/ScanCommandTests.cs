using System.Text.Json;
using Provenance.Ledger.Database;
using Provenance.Testing;
using Provenance.Testing.Postgres;

namespace Provenance.Cli.Tests;

/// <summary><c>provenance scan</c> run as a separate process against a real database.</summary>
public sealed class ScanCommandTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("provenance-cli-scan-").FullName;

    [Fact]
    public async Task Scan_OnANeverMigratedDatabase_MigratesIt_AndChecksTheLedgerAndFingerprints_WithoutAnError()
    {
        await using var database = await PostgresCluster.CreateDatabaseAsync(migrate: false);
        var clip = await TestClips.CreateAsync(TestClipKind.Mandelbrot, 320, 240, 2, 25);
        var env = new Dictionary<string, string>
        {
            ["ConnectionStrings__Ledger"] = database.ConnectionString,
            ["Provenance__DataDirectory"] = Path.Combine(_work, "data"),
        };

        var result = await CliProcess.RunAsync(env, _work, "scan", clip, "--json");

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.DoesNotContain("ledger database is not available", result.Stderr);
        var report = JsonDocument.Parse(result.Stdout).RootElement;
        var ledger = report.GetProperty("ledger");
        var fingerprint = report.GetProperty("fingerprint");
        Assert.True(ledger.GetProperty("status").GetString() == "checked", ledger.ToString());
        Assert.Empty(ledger.GetProperty("matches").EnumerateArray());
        Assert.True(fingerprint.GetProperty("status").GetString() == "checked", fingerprint.ToString());
        Assert.True(fingerprint.GetProperty("framesCompared").GetInt32() > 0, fingerprint.ToString());
        Assert.Empty(fingerprint.GetProperty("matches").EnumerateArray());
        Assert.NotEqual("error", report.GetProperty("verdict").GetString());
        Assert.True((await new Migrator(database.DataSource).GetStatusAsync(CancellationToken.None)).UpToDate);
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
