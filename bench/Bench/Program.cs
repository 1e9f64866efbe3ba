using Provenance.Bench;

// Benchmarks by name. Each lives in its own file (NameBench.cs) and returns its figures; the runner
// prints them as one JSON object on the last line of stdout, progress goes to stderr. Each declares what it
// accepts, and the command line is checked against that before anything runs.
var benches = new Dictionary<string, (Func<string[], CancellationToken, Task<IReadOnlyDictionary<string, object?>>> Run, BenchArgs Args)>(StringComparer.OrdinalIgnoreCase)
{
    ["media"] = (MediaBench.RunAsync, MediaBench.Arguments),
    ["fuzz"] = (FuzzBench.RunAsync, FuzzBench.Arguments),
    ["detector"] = (DetectorBench.RunAsync, DetectorBench.Arguments),
    ["ledger"] = (LedgerBench.RunAsync, LedgerBench.Arguments),
    ["c2pa"] = (C2paBench.RunAsync, C2paBench.Arguments),
    ["watermark"] = (WatermarkBench.RunAsync, WatermarkBench.Arguments),
    ["generator"] = (GeneratorBench.RunAsync, GeneratorBench.Arguments),
    ["api"] = (ApiBench.RunAsync, ApiBench.Arguments),
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
if (bench.Args.Check(rest) is { } problem)
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
