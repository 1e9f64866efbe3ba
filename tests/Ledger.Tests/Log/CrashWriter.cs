using Npgsql;
using Provenance.Ledger.Log;
using Provenance.Ledger.Notes;

namespace Provenance.Ledger.Tests.Log;

/// <summary>
/// Entry point of this assembly when run as a program (<c>dotnet Provenance.Ledger.Tests.dll crash-writer CONN KEYS</c>):
/// appends a stream of entries with many in flight and prints <c>ACK n index</c> for each acknowledged one and
/// <c>CHECKPOINT base64(note)</c> for each published checkpoint, until it is killed. The test runner never calls this.
/// </summary>
public static class CrashWriter
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length != 3 || args[0] != "crash-writer") return 2;
        await using var dataSource = NpgsqlDataSource.Create(args[1]);
        var options = TestEntries.FastOptions();
        options.CheckpointInterval = TimeSpan.FromMilliseconds(100);
        await using var log = await TransparencyLog.OpenAsync(dataSource, options, CheckpointKeys.LoadOrCreate(args[2], options.Origin), CancellationToken.None);
        var output = Console.Out;
        var gate = new object();
        long lastCheckpoint = -1;
        var next = 0;
        async Task Worker()
        {
            while (true)
            {
                var n = Interlocked.Increment(ref next);
                var sequenced = await log.SequenceAsync(TestEntries.Make(n), CancellationToken.None);
                lock (gate)
                {
                    output.WriteLine($"ACK {n} {sequenced.Index}");
                    if (log.LatestCheckpoint is { } checkpoint && checkpoint.Checkpoint.Size > lastCheckpoint)
                    {
                        lastCheckpoint = checkpoint.Checkpoint.Size;
                        output.WriteLine($"CHECKPOINT {Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(checkpoint.Note))}");
                    }
                    output.Flush();
                }
            }
        }
        await Task.WhenAll(Enumerable.Range(0, 256).Select(_ => Task.Run(Worker)));
        return 0;
    }
}
