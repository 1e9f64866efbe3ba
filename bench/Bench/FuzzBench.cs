using Provenance.Formats.Fuzzing;

namespace Provenance.Bench;

/// <summary>
/// Long mutation-fuzzing run over the BMFF, JUMBF, CBOR and COSE parsers: `bench/run.sh fuzz [TARGET...]`.
/// FUZZ_ITERATIONS mutations per parser (default 200,000), FUZZ_SEED (default 20261121). Every input that lets
/// another exception escape, or hangs, is written to tests/Formats.Tests/Data/regressions/PARSER/.
/// </summary>
internal static class FuzzBench
{
    /// <summary>What <c>bench/run.sh fuzz</c> accepts (checked before it runs).</summary>
    public static BenchArgs Arguments { get; } = new("bench/run.sh fuzz [TARGET...]   (FUZZ_ITERATIONS, FUZZ_SEED in the environment)",
        [], [], MaxPlain: int.MaxValue);

    public static Task<IReadOnlyDictionary<string, object?>> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        long iterations = long.TryParse(Environment.GetEnvironmentVariable("FUZZ_ITERATIONS"), out long fromEnvironment) ? fromEnvironment : 200_000;
        int seed = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_SEED"), out int seedFromEnvironment) ? seedFromEnvironment : 20261121;
        var targets = args.Length == 0 ? FuzzTargets.All : args.Select(FuzzTargets.Get).ToList();
        var corpus = Path.Combine(RepositoryRoot(), "tests", "Formats.Tests", "Data", "regressions");

        var perTarget = new Dictionary<string, object?>();
        var saved = new List<string>();
        long total = 0;
        int crashes = 0, hangs = 0;
        var started = System.Diagnostics.Stopwatch.StartNew();
        foreach (var target in targets)
        {
            BenchOutput.Progress($"fuzz {target.Name}: {iterations:N0} mutations, seed {seed}");
            var report = FuzzCampaign.Run(target, iterations, seed, TimeSpan.FromSeconds(10), maxFindings: 100, cancellationToken);
            total += report.Iterations;
            crashes += report.Crashes;
            hangs += report.Hangs;
            foreach (var finding in report.Findings)
            {
                var path = Save(corpus, finding);
                if (path is not null)
                    saved.Add(Path.GetRelativePath(RepositoryRoot(), path));
                BenchOutput.Progress($"  {finding.Kind}: {finding.ExceptionName}: {finding.Message}");
            }
            BenchOutput.Progress($"fuzz {target.Name}: {report.Iterations:N0} cases in {report.Elapsed.TotalSeconds:0.0} s, {report.Crashes} crashes, {report.Hangs} hangs");
            perTarget[target.Name] = new Dictionary<string, object?>
            {
                ["iterations"] = report.Iterations,
                ["crashes"] = report.Crashes,
                ["hangs"] = report.Hangs,
                ["seconds"] = Math.Round(report.Elapsed.TotalSeconds, 2),
                ["cases_per_second"] = Math.Round(report.Iterations / Math.Max(0.001, report.Elapsed.TotalSeconds)),
            };
            if (report.Hangs > 0)
                break; // a hung worker thread keeps running; stop here
        }

        IReadOnlyDictionary<string, object?> figures = new Dictionary<string, object?>
        {
            ["iterations"] = total,
            ["crashes"] = crashes,
            ["hangs"] = hangs,
            ["seconds"] = Math.Round(started.Elapsed.TotalSeconds, 2),
            ["seed"] = seed,
            ["mutations_per_parser"] = iterations,
            ["parsers"] = perTarget,
            ["saved"] = saved,
        };
        return Task.FromResult(figures);
    }

    // Writes the input as <ExceptionName>-<n>.bin unless an identical file is already there.
    private static string? Save(string corpus, FuzzFinding finding)
    {
        var folder = Path.Combine(corpus, finding.Target);
        Directory.CreateDirectory(folder);
        foreach (var existing in Directory.EnumerateFiles(folder, "*.bin"))
        {
            if (File.ReadAllBytes(existing).AsSpan().SequenceEqual(finding.Input))
                return null;
        }
        for (int n = 1; ; n++)
        {
            var path = Path.Combine(folder, $"{finding.ExceptionName}-{n}.bin");
            if (File.Exists(path))
                continue;
            File.WriteAllBytes(path, finding.Input);
            return path;
        }
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Provenance.sln")))
            directory = directory.Parent;
        return directory?.FullName ?? Directory.GetCurrentDirectory();
    }
}
