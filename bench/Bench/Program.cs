using Provenance.Bench;

// Benchmarks by name. Each lives in its own file (NameBench.cs) and returns its figures; the runner
// prints them as one JSON object on the last line of stdout, progress goes to stderr. Each declares what it
// accepts, and the command line is checked against that before anything runs.
var benches = new Dictionary<string, (Func<string[], CancellationToken, Task<IReadOnlyDictionary<string, object?>>> Run, BenchArgs Args)>(StringComparer.OrdinalIgnoreCase)
{
    ["media"] = (MediaBench.RunAsync, new("bench/run.sh media [--seconds N] [--runs N] [--format yuv420p|gray|rgb24] [--mode frames|buffer]",
        ["--seconds", "--runs", "--format", "--mode"], [])),
    ["fuzz"] = (FuzzBench.RunAsync, new("bench/run.sh fuzz [TARGET...]   (FUZZ_ITERATIONS, FUZZ_SEED in the environment)",
        [], [], MaxPlain: int.MaxValue)),
    ["detector"] = (DetectorBench.RunAsync, new("bench/run.sh detector [SECONDS] [FPS] [LEDGER_ENTRIES]", [], [], MaxPlain: 3)),
    ["ledger"] = (LedgerBench.RunAsync, new("bench/run.sh ledger [--entries N] [--appends N] [--batch N] [--in-flight N] [--appends-only]",
        ["--entries", "--appends", "--batch", "--in-flight"], ["--appends-only"])),
    ["c2pa"] = (C2paBench.RunAsync, new("bench/run.sh c2pa [--runs N] [--skip-2gb]", ["--runs"], ["--skip-2gb"])),
    ["watermark"] = (WatermarkBench.RunAsync, new(
        "bench/run.sh watermark [--clips N] [--first K] [--seconds S] [--corpus a,b,...] [--height 720|1080] "
        + "[--attacks platform|videoseal|all|none|a,b,...] [--full-clips N] [--null-segments N] [--null-keys K] "
        + "[--option Name=value,...] [--out DIR]\n"
        + "       bench/run.sh watermark --reread [--reattack] [same options]   (reads the files of an earlier run again; --reattack\n"
        + "         applies the named attacks to its marked copies again first)\n"
        + "       bench/run.sh watermark --merge DIR1,DIR2,...     (adds up the parts of a run made with --first)\n"
        + "       bench/run.sh watermark --speed-only [--speed-seconds S] [--speed-passes N] [--speed-input FILE] [--option ...]",
        ["--clips", "--first", "--seconds", "--corpus", "--height", "--attacks", "--full-clips", "--null-segments", "--null-keys",
         "--option", "--out", "--merge", "--speed-seconds", "--speed-passes", "--speed-input"],
        ["--reread", "--reattack", "--speed-only"])),
    ["generator"] = (GeneratorBench.RunAsync, new("bench/run.sh generator [--seconds S] [--size WxH] [--fps N] [--preset NAME] [--rounds N]",
        ["--seconds", "--size", "--fps", "--preset", "--rounds"], [])),
    ["api"] = (ApiBench.RunAsync, new("bench/run.sh api [--clients N] [--minutes M] [--verify-calls N]",
        ["--clients", "--minutes", "--verify-calls"], [])),
};

if (args.Length == 0 || !benches.TryGetValue(args[0], out var bench))
{
    Console.Error.WriteLine($"usage: bench/run.sh NAME [OPTIONS...]   (names: {string.Join(", ", benches.Keys.Order())}; bench/run.sh NAME --help for its options)");
    return 2;
}
var rest = args[1..];
if (BenchArgs.AsksForHelp(rest))
{
    Console.Error.WriteLine($"usage: {bench.Args.Usage}");
    return 0;
}
// The c2pa bench starts itself again as a child (`c2pa --rss-child ...`) to measure its memory alone.
if (!(StringComparer.OrdinalIgnoreCase.Equals(args[0], "c2pa") && rest.FirstOrDefault() == "--rss-child") && bench.Args.Check(rest) is { } problem)
{
    Console.Error.WriteLine($"bench/run.sh {args[0]}: {problem}\nusage: {bench.Args.Usage}");
    return 2;
}
using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
try
{
    var figures = await bench.Run(rest, cts.Token);
    Console.WriteLine(BenchOutput.ToJson(figures));
    return 0;
}
catch (BenchUsageException e)
{
    Console.Error.WriteLine($"bench/run.sh {args[0]}: {e.Message}\nusage: {bench.Args.Usage}");
    return 2;
}
