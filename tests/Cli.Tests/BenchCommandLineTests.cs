namespace Provenance.Cli.Tests;

/// <summary>
/// The benchmark runner (<c>bench/run.sh NAME ...</c>, built with the solution) checks its command line before it starts:
/// a full watermark run takes hours, so a misspelt option must be refused at once, not ignored.
/// </summary>
public sealed class BenchCommandLineTests
{
    private static readonly string Runner = FindRunner();

    [Theory]
    [InlineData("unknown option --clip", "watermark", "--clip", "4")]
    [InlineData("--clips needs a value", "watermark", "--clips")]
    [InlineData("--clips takes a whole number, not four", "watermark", "--clips", "four")]
    [InlineData("no attack named identty", "watermark", "--attacks", "identity,identty")]
    [InlineData("--height must be 720 or 1080", "watermark", "--height", "480")]
    [InlineData("--option: Strength is not Name=number", "watermark", "--option", "Strength")]
    [InlineData("--option: unknown option Strenght", "watermark", "--option", "Strenght=2")]
    [InlineData("unexpected argument 4", "detector", "60", "4", "100", "4")]
    [InlineData("unknown option --entry", "ledger", "--entry", "10")]
    public async Task BadOptions_AreRefusedAtOnce_WithTheUsage(string message, params string[] args)
    {
        var (exitCode, stderr) = await RunAsync(args);

        Assert.Equal(2, exitCode);
        Assert.Contains(message, stderr);
        Assert.Contains($"usage: bench/run.sh {args[0]}", stderr);
        Assert.DoesNotContain("[bench]", stderr); // nothing was started
    }

    [Theory]
    [InlineData("watermark", "--speed-only")]
    [InlineData("c2pa", "--skip-2gb")]
    [InlineData("api", "--verify-calls")]
    public async Task Help_PrintsTheBenchmarksOptions(string bench, string option)
    {
        var (exitCode, stderr) = await RunAsync([bench, "--help"]);

        Assert.Equal(0, exitCode);
        Assert.StartsWith($"usage: bench/run.sh {bench}", stderr);
        Assert.Contains(option, stderr);
    }

    [Fact]
    public async Task AnUnknownBenchmark_ListsTheNames()
    {
        var (exitCode, stderr) = await RunAsync(["watermarks"]);

        Assert.Equal(2, exitCode);
        Assert.Contains("names: api, c2pa, detector, fuzz, generator, ledger, media, watermark", stderr);
    }

    private static async Task<(int ExitCode, string Stderr)> RunAsync(string[] args)
    {
        var result = await CliProcess.RunDllAsync(Runner, new Dictionary<string, string>(), Path.GetTempPath(), args);
        return (result.ExitCode, result.Stderr);
    }

    /// <summary>The runner built beside these tests: bench/Bench/bin/CONFIGURATION/TFM/provenance-bench.dll.</summary>
    private static string FindRunner()
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var (framework, configuration) = (here.Name, here.Parent!.Name);
        for (var dir = here; dir is not null; dir = dir.Parent)
        {
            var runner = Path.Combine(dir.FullName, "bench", "Bench", "bin", configuration, framework, "provenance-bench.dll");
            if (File.Exists(runner)) return runner;
        }
        throw new FileNotFoundException($"provenance-bench.dll ({configuration}, {framework}) not built: build Provenance.sln");
    }
}
