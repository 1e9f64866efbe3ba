using System.Diagnostics;
using System.Text;
using Npgsql;
using Provenance.Ledger.Log;
using Provenance.Ledger.Merkle;
using Provenance.Ledger.Notes;
using Provenance.Testing.Postgres;

namespace Provenance.Ledger.Tests.Log;

/// <summary>SIGKILL the writing process in the middle of a stream of appends, then restart and check the log.</summary>
public sealed class CrashRecoveryTests
{
    [Fact]
    public async Task KillingTheWriterMidStream_LosesNoAcknowledgedEntryAndLeavesNoHalfBatch()
    {
        using var temp = new TempDirectory();
        await using var db = await PostgresCluster.CreateDatabaseAsync(migrate: true);
        var acknowledged = new Dictionary<int, long>();
        string? lastCheckpointNote = null;

        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(typeof(CrashWriter).Assembly.Location);
        info.ArgumentList.Add("crash-writer");
        info.ArgumentList.Add(db.ConnectionString);
        info.ArgumentList.Add(temp.Combine("keys"));
        using (var writer = Process.Start(info)!)
        {
            var stderr = writer.StandardError.ReadToEndAsync();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (acknowledged.Count < 5000 || lastCheckpointNote is null)
            {
                var line = await writer.StandardOutput.ReadLineAsync(deadline.Token)
                    ?? throw new InvalidOperationException("writer exited early: " + await stderr);
                var parts = line.Split(' ');
                if (parts[0] == "ACK") acknowledged[int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture)] = long.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture);
                else if (parts[0] == "CHECKPOINT") lastCheckpointNote = Encoding.UTF8.GetString(Convert.FromBase64String(parts[1]));
            }
            writer.Kill(); // SIGKILL while hundreds of appends are in flight
            await writer.WaitForExitAsync();
        }

        // Every acknowledged entry is there, at the index it was acknowledged with.
        var reader = new LedgerReader(db.DataSource, "test.local/ledger");
        foreach (var (n, index) in acknowledged.Where(a => a.Key % 7 == 0 || a.Key > acknowledged.Count - 300))
            Assert.Equal(TestEntries.Make(n).ManifestHash, (await reader.GetEntryAsync(index, CancellationToken.None))!.Entry.ManifestHash);
        var head = await reader.GetTreeHeadAsync(CancellationToken.None);
        Assert.True(head.Size >= acknowledged.Count);
        Assert.True(acknowledged.Values.Max() < head.Size);
        // No half batch: entries and tiles stop at the tree size, and the tiles hash to the stored root.
        Assert.Equal(head.Size, await ScalarAsync(db.DataSource, "SELECT count(*) FROM ledger_entries"));
        Assert.Equal(head.Size - 1, await ScalarAsync(db.DataSource, "SELECT max(idx) FROM ledger_entries"));
        Assert.Equal(head.RootHash, await reader.GetRootAsync(head.Size, CancellationToken.None));
        // The lookup indexer follows the log: it may be behind, never ahead, and its rows stop exactly at its mark.
        var indexed = await ScalarAsync(db.DataSource, "SELECT next_idx FROM ledger_lookup_progress");
        Assert.InRange(indexed, 0, head.Size);
        Assert.Equal(indexed, await ScalarAsync(db.DataSource, "SELECT count(*) FROM ledger_lookup"));
        Assert.Equal(indexed, await ScalarAsync(db.DataSource, "SELECT coalesce(max(idx) + 1, 0) FROM ledger_lookup"));
        // Lookups already find the last acknowledged entry, indexed or not.
        var (lastN, lastIndex) = acknowledged.MaxBy(a => a.Value);
        Assert.Equal([lastIndex], (await reader.FindByWatermarkPayloadAsync(TestEntries.Make(lastN).WatermarkPayload, CancellationToken.None)).Select(e => e.Index));

        // The last checkpoint the writer saved is consistent with the tree after the crash.
        var keys = CheckpointKeys.ReadVerifierKeys(temp.Combine("keys", CheckpointKeys.VerifierKeysFileName));
        var saved = Checkpoint.Verify(lastCheckpointNote!, "test.local/ledger", keys);
        if (saved.Size > 0 && saved.Size < head.Size)
        {
            var proof = await reader.GetConsistencyProofAsync(saved.Size, head.Size, CancellationToken.None);
            Assert.True(MerkleProof.VerifyConsistency(saved.Size, head.Size, saved.RootHash, head.RootHash, proof));
        }
        else
        {
            Assert.Equal(head.RootHash, await reader.GetRootAsync(saved.Size, CancellationToken.None));
        }

        // A new writer starts from the recovered state and keeps appending.
        await using var log = await TransparencyLog.OpenAsync(db.DataSource, TestEntries.FastOptions(), CheckpointKeys.LoadOrCreate(temp.Combine("keys"), "test.local/ledger"), CancellationToken.None);
        var receipt = await log.AppendAsync(TestEntries.Make(-1), CancellationToken.None);
        Assert.Equal(head.Size, receipt.Index);
        receipt.Verify("test.local/ledger", keys);

        // Its lookup indexer catches up over what was written before the crash, each entry once.
        using var catchUp = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await ScalarAsync(db.DataSource, "SELECT next_idx FROM ledger_lookup_progress") < head.Size + 1)
            await Task.Delay(20, catchUp.Token);
        Assert.Equal(head.Size + 1, await ScalarAsync(db.DataSource, "SELECT count(DISTINCT idx) FROM ledger_lookup"));
        Assert.Equal(head.Size + 1, await ScalarAsync(db.DataSource, "SELECT count(*) FROM ledger_lookup"));
        var (firstN, firstIndex) = acknowledged.MinBy(a => a.Value);
        Assert.Equal([firstIndex], (await reader.FindByAssetIdAsync(TestEntries.Make(firstN).AssetId, CancellationToken.None)).Select(e => e.Index));
        Assert.Equal([lastIndex], (await reader.FindByAssetIdAsync(TestEntries.Make(lastN).AssetId, CancellationToken.None)).Select(e => e.Index));
    }

    private static async Task<long> ScalarAsync(NpgsqlDataSource ds, string sql)
    {
        await using var command = ds.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
