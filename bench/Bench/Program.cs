using Provenance.Bench;

// Benchmarks by name. Each lives in its own file (NameBench.cs) and returns its figures; the runner
// prints them as one JSON object on the last line of stdout, progress goes to stderr.
var benches = new Dictionary<string, Func<string[], CancellationToken, Task<IReadOnlyDictionary<string, object?>>>>(StringComparer.OrdinalIgnoreCase)
{
    ["media"] = MediaBench.RunAsync,
    ["fuzz"] = FuzzBench.RunAsync,
    ["detector"] = DetectorBench.RunAsync,
    ["ledger"] = LedgerBench.RunAsync,
    ["c2pa"] = C2paBench.RunAsync,
    ["watermark"] = WatermarkBench.RunAsync,
    ["generator"] = GeneratorBench.RunAsync,
    ["api"] = ApiBench.RunAsync,
};

if (args.Length == 0 || !benches.TryGetValue(args[0], out var bench))
{
    Console.Error.WriteLine($"usage: bench/run.sh NAME   (names: {string.Join(", ", benches.Keys.Order())})");
    return 2;
}
using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
var figures = await bench(args[1..], cts.Token);
Console.WriteLine(BenchOutput.ToJson(figures));
return 0;
