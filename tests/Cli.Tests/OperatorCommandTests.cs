using System.Text.Json;
using System.Text.RegularExpressions;
using Provenance.Testing.Postgres;

namespace Provenance.Cli.Tests;

/// <summary>The operator commands (doctor, apikey) against a real database, run as a separate process.</summary>
public sealed partial class OperatorCommandTests : IClassFixture<PostgresDatabase>, IDisposable
{
    private readonly PostgresDatabase _db;
    private readonly string _work = Directory.CreateTempSubdirectory("provenance-cli-").FullName;

    public OperatorCommandTests(PostgresDatabase db) => _db = db;

    private Dictionary<string, string> Env => new()
    {
        ["ConnectionStrings__Ledger"] = _db.ConnectionString,
        ["Provenance__DataDirectory"] = Path.Combine(_work, "data"),
    };

    [Fact]
    public async Task DoctorJson_OnAMigratedDatabase_ReportsReadyAndExitsZero()
    {
        var result = await CliProcess.RunAsync(Env, _work, "doctor", "--json");
        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.True(json.RootElement.GetProperty("ready").GetBoolean());
        Assert.StartsWith("1.30", json.RootElement.GetProperty("inference").GetProperty("onnxRuntimeVersion").GetString());
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("media").GetProperty("ffmpegVersion").GetString()));
    }

    [Fact]
    public async Task Doctor_WithAnUnreachableDatabase_ExitsNonZeroAndSaysWhy()
    {
        var env = Env;
        env["ConnectionStrings__Ledger"] = "Host=127.0.0.1;Port=1;Username=nobody;Timeout=3";
        var result = await CliProcess.RunAsync(env, _work, "doctor");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("unreachable", result.Stdout);
        Assert.Contains("not ready", result.Stdout);
    }

    [Fact]
    public async Task ApiKeyCreate_PrintsTheKeyAloneOnItsLastLine_ThenListAndRevokeWork()
    {
        var created = await CliProcess.RunAsync(Env, _work, "apikey", "create", "--scope", "scan", "--scope", "generate", "--name", "newsroom");
        Assert.True(created.ExitCode == 0, created.Stderr);
        var lastLine = created.Stdout.TrimEnd().Split('\n')[^1].Trim();
        var match = KeyPattern().Match(lastLine);
        Assert.True(match.Success, $"last line is not a key: '{lastLine}'");
        var keyId = match.Groups[1].Value;

        var listed = await CliProcess.RunAsync(Env, _work, "apikey", "list");
        Assert.Equal(0, listed.ExitCode);
        Assert.Contains(keyId, listed.Stdout);
        Assert.Contains("newsroom", listed.Stdout);
        Assert.DoesNotContain(lastLine, listed.Stdout); // never the secret

        var revoked = await CliProcess.RunAsync(Env, _work, "apikey", "revoke", keyId);
        Assert.Equal(0, revoked.ExitCode);
        var again = await CliProcess.RunAsync(Env, _work, "apikey", "revoke", keyId);
        Assert.Equal(1, again.ExitCode);
    }

    [Fact]
    public async Task ApiKeyCreate_WithAnUnknownScope_ExitsWithUsageError()
    {
        var result = await CliProcess.RunAsync(Env, _work, "apikey", "create", "--scope", "everything");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Unknown scope", result.Stderr);
    }

    [GeneratedRegex("^pvk_([a-z2-9]{12})_[A-Za-z0-9_-]{43}$")]
    private static partial Regex KeyPattern();

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
