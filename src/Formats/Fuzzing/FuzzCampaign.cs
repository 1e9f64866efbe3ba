using System.Diagnostics;

namespace Provenance.Formats.Fuzzing;

/// <summary>An input that made a parser misbehave.</summary>
/// <param name="Kind">"crash" (an exception other than the domain one escaped) or "hang" (no answer within the case timeout).</param>
public sealed record FuzzFinding(string Target, string Kind, string ExceptionName, string Message, byte[] Input);

/// <summary>What one campaign over one target found.</summary>
public sealed record FuzzReport(string Target, long Iterations, IReadOnlyList<FuzzFinding> Findings, TimeSpan Elapsed)
{
    public int Crashes => Findings.Count(finding => finding.Kind == "crash");

    public int Hangs => Findings.Count(finding => finding.Kind == "hang");
}

/// <summary>
/// Runs a target over truncations at every offset, deep nesting and seeded random mutations. Cases run on a
/// worker thread watched by the caller: a case that does not finish within the timeout is reported as a hang
/// and ends the campaign.
/// </summary>
public static class FuzzCampaign
{
    public static FuzzReport Run(FuzzTarget target, long mutations, int seed, TimeSpan caseTimeout, int maxFindings = 50, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        var findings = new List<FuzzFinding>();
        long iterations = 0;
        byte[]? current = null;
        var stopwatch = Stopwatch.StartNew();

        void Worker()
        {
            foreach (var input in Cases(target, mutations, seed))
            {
                if (cancellationToken.IsCancellationRequested || findings.Count >= maxFindings)
                    return;
                Volatile.Write(ref current, input);
                var escaped = target.Check(input);
                if (escaped is not null)
                {
                    lock (findings)
                        findings.Add(new FuzzFinding(target.Name, "crash", escaped.GetType().Name, escaped.Message, input));
                }
                Interlocked.Increment(ref iterations);
            }
        }

        var worker = new Thread(Worker, maxStackSize: 16 << 20) { IsBackground = true, Name = $"fuzz-{target.Name}" };
        worker.Start();
        long lastSeen = -1;
        var lastProgress = Stopwatch.StartNew();
        while (!worker.Join(TimeSpan.FromMilliseconds(50)))
        {
            long now = Interlocked.Read(ref iterations);
            if (now != lastSeen)
            {
                lastSeen = now;
                lastProgress.Restart();
                continue;
            }
            if (lastProgress.Elapsed > caseTimeout)
            {
                var stuck = Volatile.Read(ref current) ?? [];
                lock (findings)
                    findings.Add(new FuzzFinding(target.Name, "hang", "Timeout", $"no answer within {caseTimeout.TotalSeconds:0.#} s", stuck));
                break;
            }
        }
        lock (findings)
            return new FuzzReport(target.Name, Interlocked.Read(ref iterations), [.. findings], stopwatch.Elapsed);
    }

    /// <summary>The inputs of a campaign, in order: truncations, deep nesting, then mutations.</summary>
    public static IEnumerable<byte[]> Cases(FuzzTarget target, long mutations, int seed)
    {
        var sample = target.Seed();
        yield return sample;
        foreach (var truncated in ByteMutator.Truncations(sample))
            yield return truncated;
        foreach (int depth in new[] { 31, 32, 33, 64, 1000 })
            yield return target.DeepNesting(depth);
        var mutator = new ByteMutator(seed);
        var random = new Random(seed ^ 0x5EED);
        byte[] previous = sample;
        for (long i = 0; i < mutations; i++)
        {
            // Mostly fresh mutations of the sample; sometimes stack on the previous mutant.
            var basis = random.Next(10) < 7 ? sample : previous;
            var mutant = mutator.Mutate(basis);
            if (random.Next(4) == 0)
                mutant = mutator.Mutate(mutant);
            previous = mutant.Length > 4 * sample.Length ? sample : mutant;
            yield return mutant;
        }
    }
}
