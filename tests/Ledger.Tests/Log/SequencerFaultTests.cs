using Npgsql;
using Provenance.Ledger.Log;
using Provenance.Ledger.Merkle;
using Provenance.Testing.Postgres;

namespace Provenance.Ledger.Tests.Log;

/// <summary>Faults while writing: a second sequencer, a connection killed in the middle of a batch.</summary>
public sealed class SequencerFaultTests
{
    private static async Task<long> ScalarAsync(NpgsqlDataSource ds, string sql)
    {
        await using var command = ds.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task ASecondSequencerWorkingFromStaleState_IsRefusedAndWritesNothing()
    {
        await using var db = await PostgresCluster.CreateDatabaseAsync(migrate: true);
        await using var first = await LedgerSequencer.StartAsync(db.DataSource, TestEntries.FastOptions(), CancellationToken.None);
        await using var second = await LedgerSequencer.StartAsync(db.DataSource, TestEntries.FastOptions(), CancellationToken.None);
        await first.SequenceAsync(TestEntries.Make(1), CancellationToken.None);

        await Assert.ThrowsAsync<SequencerFencedException>(() => second.SequenceAsync(TestEntries.Make(2), CancellationToken.None));

        Assert.Equal(1L, await ScalarAsync(db.DataSource, "SELECT count(*) FROM ledger_entries"));
        Assert.Equal(1L, await ScalarAsync(db.DataSource, "SELECT tree_size FROM ledger_tree_state"));
        // Having reloaded, the refused sequencer continues from the true state, and the first is now the stale one.
        Assert.Equal(1, (await second.SequenceAsync(TestEntries.Make(2), CancellationToken.None)).Index);
        await Assert.ThrowsAsync<SequencerFencedException>(() => first.SequenceAsync(TestEntries.Make(3), CancellationToken.None));
        Assert.Equal(2L, await ScalarAsync(db.DataSource, "SELECT count(*) FROM ledger_entries"));
    }

    [Fact]
    public async Task AConnectionKilledMidBatch_FailsTheBatchClearlyAndAcknowledgesNothingUncommitted()
    {
        await using var db = await PostgresCluster.CreateDatabaseAsync(migrate: true);
        var writerConnection = new NpgsqlConnectionStringBuilder(db.ConnectionString) { ApplicationName = "ledger-writer-under-test" };
        await using var writerSource = NpgsqlDataSource.Create(writerConnection.ConnectionString);
        await using var sequencer = await LedgerSequencer.StartAsync(writerSource, TestEntries.FastOptions(), CancellationToken.None);
        await sequencer.SequenceAsync(TestEntries.Make(1), CancellationToken.None);
        await using (var slow = db.DataSource.CreateCommand("""
            CREATE FUNCTION test_slow_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(30); RETURN NULL; END $$;
            CREATE TRIGGER test_slow_entries BEFORE INSERT ON ledger_entries FOR EACH STATEMENT EXECUTE FUNCTION test_slow_insert();
            """))
            await slow.ExecuteNonQueryAsync();

        var append = sequencer.SequenceAsync(TestEntries.Make(2), CancellationToken.None);
        for (var i = 0; i < 400 && await ScalarAsync(db.DataSource,
                 "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'ledger-writer-under-test' AND wait_event = 'PgSleep'") == 0; i++)
            await Task.Delay(25);
        Assert.Equal(1L, await ScalarAsync(db.DataSource,
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'ledger-writer-under-test' AND wait_event = 'PgSleep'"));

        var error = await Assert.ThrowsAsync<LedgerWriteException>(() => append);
        Assert.False(error.CommitOutcomeUnknown);
        Assert.Contains("nothing was logged", error.Message, StringComparison.Ordinal);
        Assert.Equal(1L, await ScalarAsync(db.DataSource, "SELECT count(*) FROM ledger_entries"));

        await using (var fix = db.DataSource.CreateCommand("DROP TRIGGER test_slow_entries ON ledger_entries"))
            await fix.ExecuteNonQueryAsync();
        var retried = await sequencer.SequenceAsync(TestEntries.Make(2), CancellationToken.None);
        Assert.Equal(1, retried.Index);
        var reader = new LedgerReader(db.DataSource, "test.local/ledger");
        var head = await reader.GetTreeHeadAsync(CancellationToken.None);
        Assert.Equal(2, head.Size);
        Assert.Equal(head.RootHash, await reader.GetRootAsync(2, CancellationToken.None));
        var proof = await reader.GetInclusionProofAsync(1, 2, CancellationToken.None);
        Assert.True(MerkleProof.VerifyInclusion(1, 2, retried.LeafHash, proof, head.RootHash));
    }
}
