using Provenance.Ledger.Log;
using Provenance.Ledger.Notes;
using Provenance.Testing.Postgres;

namespace Provenance.Ledger.Tests.Log;

/// <summary>The audit recomputes the tree and notices tampering and forks.</summary>
public sealed class LedgerAuditorTests
{
    [Fact]
    public async Task Audit_OfAnHonestLog_PassesAndIsConsistentWithAnOlderSavedCheckpoint()
    {
        using var temp = new TempDirectory();
        await using var db = await PostgresCluster.CreateDatabaseAsync(migrate: true);
        var keys = TestEntries.Keys(temp);
        await using var log = await TransparencyLog.OpenAsync(db.DataSource, TestEntries.FastOptions(), keys, CancellationToken.None);
        await Task.WhenAll(Enumerable.Range(0, 600).Select(i => log.SequenceAsync(TestEntries.Make(i), CancellationToken.None)));
        var saved = (await log.AppendAsync(TestEntries.Make(-5), CancellationToken.None)).SignedCheckpoint;
        await Task.WhenAll(Enumerable.Range(600, 70_000 - 600).Select(i => log.SequenceAsync(TestEntries.Make(i), CancellationToken.None)));

        var report = await LedgerAuditor.AuditAsync(db.DataSource, "test.local/ledger", keys.Verifiers, saved, checkEntries: true, null, CancellationToken.None);

        Assert.True(report.Passed, string.Join("; ", report.Problems));
        Assert.Equal(70_001, report.TreeSize);
        Assert.Equal(70_001, report.EntriesChecked);
        Assert.Equal(log.Committed.RootHash, report.RootHash);
        Assert.True(report.TilesChecked > 274);
    }

    [Fact]
    public async Task Audit_FindsAnEntryRewrittenBehindTheTriggersBack_AndACheckpointFromAFork()
    {
        using var temp = new TempDirectory();
        await using var db = await PostgresCluster.CreateDatabaseAsync(migrate: true);
        await using var fork = await PostgresCluster.CreateDatabaseAsync(migrate: true);
        var keys = TestEntries.Keys(temp);
        await using (var log = await TransparencyLog.OpenAsync(db.DataSource, TestEntries.FastOptions(), keys, CancellationToken.None))
            await Task.WhenAll(Enumerable.Range(0, 300).Select(i => log.SequenceAsync(TestEntries.Make(i), CancellationToken.None)));
        string forkedCheckpoint;
        await using (var forked = await TransparencyLog.OpenAsync(fork.DataSource, TestEntries.FastOptions(), keys, CancellationToken.None))
        {
            for (var i = 0; i < 100; i++) await forked.SequenceAsync(TestEntries.Make(10_000 + i), CancellationToken.None);
            forkedCheckpoint = (await forked.AppendAsync(TestEntries.Make(20_000), CancellationToken.None)).SignedCheckpoint;
        }
        await using (var tamper = db.DataSource.CreateCommand(
            "ALTER TABLE ledger_entries DISABLE TRIGGER ALL; UPDATE ledger_entries SET data = (SELECT data FROM ledger_entries WHERE idx = 5) WHERE idx = 17; ALTER TABLE ledger_entries ENABLE TRIGGER ALL;"))
            await tamper.ExecuteNonQueryAsync();

        var report = await LedgerAuditor.AuditAsync(db.DataSource, "test.local/ledger", keys.Verifiers, forkedCheckpoint, checkEntries: true, null, CancellationToken.None);

        Assert.False(report.Passed);
        Assert.Contains(report.Problems, p => p.Contains("entry 17", StringComparison.Ordinal));
        Assert.Contains(report.Problems, p => p.Contains("saved checkpoint", StringComparison.Ordinal) && p.Contains("not consistent", StringComparison.Ordinal));
    }
}
