using Npgsql;
using Provenance.Ledger.Log;
using Provenance.Testing.Postgres;

namespace Provenance.Ledger.Tests.Log;

/// <summary>The lookup indexer fills the lookup table behind the sequencer; lookups never miss an acknowledged entry.</summary>
public sealed class LookupIndexerTests
{
    private const ulong Fingerprint = 0x0F0F_1234_5678_9ABCUL;

    private static async Task<long> ScalarAsync(NpgsqlDataSource ds, string sql)
    {
        await using var command = ds.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<List<SequencedEntry>> AppendAsync(NpgsqlDataSource ds, int count)
    {
        await using var sequencer = await LedgerSequencer.StartAsync(ds, TestEntries.FastOptions(), CancellationToken.None);
        var appended = await Task.WhenAll(Enumerable.Range(0, count).Select(i =>
            sequencer.SequenceAsync(TestEntries.Make(i, i == 7 ? Fingerprint : (ulong)i * 0x9E37_79B9_7F4A_7C15UL), CancellationToken.None)));
        return appended.ToList();
    }

    [Fact]
    public async Task ALookupRightAfterAnAcknowledgedAppend_FindsTheEntryBeforeAndAfterItIsIndexed()
    {
        await using var db = await PostgresCluster.CreateDatabaseAsync(migrate: true);
        var appended = await AppendAsync(db.DataSource, 300);
        var reader = new LedgerReader(db.DataSource, "test.local/ledger");
        Assert.Equal(0L, await ScalarAsync(db.DataSource, "SELECT next_idx FROM ledger_lookup_progress"));

        async Task AssertFoundOnceAsync()
        {
            Assert.Equal([appended[7].Index], (await reader.FindByAssetIdAsync(TestEntries.Make(7).AssetId, CancellationToken.None)).Select(e => e.Index));
            Assert.Equal([appended[299].Index], (await reader.FindByWatermarkPayloadAsync(TestEntries.Make(299).WatermarkPayload, CancellationToken.None)).Select(e => e.Index));
            var near = await reader.FindByFingerprintAsync(Fingerprint ^ 0b1011, 4, CancellationToken.None);
            Assert.Equal([appended[7].Index], near.Select(m => m.Entry.Index));
            Assert.Equal(3, near[0].Distance);
            Assert.Empty(await reader.FindByAssetIdAsync(TestEntries.Make(5000).AssetId, CancellationToken.None));
        }

        await AssertFoundOnceAsync(); // nothing indexed yet: found in the entries past the mark
        Assert.Equal(300L, await LedgerLookupIndexer.CatchUpAsync(db.DataSource, 128, CancellationToken.None));
        Assert.Equal(300L, await ScalarAsync(db.DataSource, "SELECT count(*) FROM ledger_lookup"));
        await AssertFoundOnceAsync(); // all indexed: found once, through the index
    }

    [Fact]
    public async Task IndexersRacingEachOther_IndexEveryEntryExactlyOnce()
    {
        await using var db = await PostgresCluster.CreateDatabaseAsync(migrate: true);
        await AppendAsync(db.DataSource, 2000);

        var marks = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => LedgerLookupIndexer.CatchUpAsync(db.DataSource, 97, CancellationToken.None))));

        Assert.All(marks, mark => Assert.Equal(2000L, mark));
        Assert.Equal(2000L, await ScalarAsync(db.DataSource, "SELECT count(*) FROM ledger_lookup"));
        Assert.Equal(2000L, await ScalarAsync(db.DataSource, "SELECT count(DISTINCT idx) FROM ledger_lookup"));
        Assert.Equal(2000L, await ScalarAsync(db.DataSource, "SELECT next_idx FROM ledger_lookup_progress"));
    }

    [Fact]
    public async Task AnIndexerPassKilledMidway_LeavesNothingBehindAndTheNextPassRedoesIt()
    {
        await using var db = await PostgresCluster.CreateDatabaseAsync(migrate: true);
        var appended = await AppendAsync(db.DataSource, 500);
        var indexerConnection = new NpgsqlConnectionStringBuilder(db.ConnectionString) { ApplicationName = "ledger-indexer-under-test" };
        await using var indexerSource = NpgsqlDataSource.Create(indexerConnection.ConnectionString);
        await using (var slow = db.DataSource.CreateCommand("""
            CREATE FUNCTION test_slow_lookup() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(30); RETURN NULL; END $$;
            CREATE TRIGGER test_slow_lookup AFTER INSERT ON ledger_lookup FOR EACH STATEMENT EXECUTE FUNCTION test_slow_lookup();
            """))
            await slow.ExecuteNonQueryAsync();

        // The pass has copied its rows and sleeps before moving the mark: kill its connection there.
        var pass = LedgerLookupIndexer.CatchUpAsync(indexerSource, 1000, CancellationToken.None);
        for (var i = 0; i < 400 && await ScalarAsync(db.DataSource,
                 "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'ledger-indexer-under-test' AND wait_event = 'PgSleep'") == 0; i++)
            await Task.Delay(25);
        Assert.Equal(1L, await ScalarAsync(db.DataSource,
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'ledger-indexer-under-test' AND wait_event = 'PgSleep'"));
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => pass);

        Assert.Equal(0L, await ScalarAsync(db.DataSource, "SELECT count(*) FROM ledger_lookup"));
        Assert.Equal(0L, await ScalarAsync(db.DataSource, "SELECT next_idx FROM ledger_lookup_progress"));
        Assert.Equal([appended[7].Index], (await new LedgerReader(db.DataSource, "o").FindByAssetIdAsync(TestEntries.Make(7).AssetId, CancellationToken.None)).Select(e => e.Index));

        await using (var fix = db.DataSource.CreateCommand("DROP TRIGGER test_slow_lookup ON ledger_lookup"))
            await fix.ExecuteNonQueryAsync();
        Assert.Equal(500L, await LedgerLookupIndexer.CatchUpAsync(db.DataSource, 1000, CancellationToken.None));
        Assert.Equal(500L, await ScalarAsync(db.DataSource, "SELECT count(DISTINCT idx) FROM ledger_lookup"));
    }

    [Fact]
    public async Task TheTransparencyLogsIndexer_FollowsItsAppendsAndThoseOfAnotherProcess()
    {
        using var temp = new TempDirectory();
        await using var db = await PostgresCluster.CreateDatabaseAsync(migrate: true);
        var before = await AppendAsync(db.DataSource, 100); // written before this log opened (another writer, or before a restart)
        var options = TestEntries.FastOptions();
        options.LookupIndexPollInterval = TimeSpan.FromMilliseconds(50);
        await using var log = await TransparencyLog.OpenAsync(db.DataSource, options, TestEntries.Keys(temp), CancellationToken.None);
        var appended = await Task.WhenAll(Enumerable.Range(100, 200).Select(i => log.SequenceAsync(TestEntries.Make(i), CancellationToken.None)));

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (log.LookupIndexer.IndexedSize < 300) await Task.Delay(10, deadline.Token);
        Assert.Null(log.LookupIndexer.LastError);
        Assert.Equal(300L, await ScalarAsync(db.DataSource, "SELECT count(*) FROM ledger_lookup"));
        Assert.Equal([appended[50].Index], (await log.Reader.FindByAssetIdAsync(TestEntries.Make(150).AssetId, CancellationToken.None)).Select(e => e.Index));
        Assert.Equal([before[7].Index], (await log.Reader.FindByWatermarkPayloadAsync(TestEntries.Make(7).WatermarkPayload, CancellationToken.None)).Select(e => e.Index));
    }

    [Fact]
    public async Task TheBulkLoader_IndexesWhatItLoadsAndMovesTheMarkWithIt()
    {
        await using var db = await PostgresCluster.CreateDatabaseAsync(migrate: true);
        var head = await LedgerBulkLoader.LoadAsync(db.DataSource, Enumerable.Range(0, 1000).Select(i => TestEntries.Make(i, i == 7 ? Fingerprint : 0UL)),
            DateTimeOffset.UtcNow, 300, null, CancellationToken.None);

        Assert.Equal(1000, head.Size);
        Assert.Equal(1000L, await ScalarAsync(db.DataSource, "SELECT next_idx FROM ledger_lookup_progress"));
        Assert.Equal(1000L, await ScalarAsync(db.DataSource, "SELECT count(*) FROM ledger_lookup"));
        Assert.Equal(1000L, await LedgerLookupIndexer.CatchUpAsync(db.DataSource, 128, CancellationToken.None));
        var reader = new LedgerReader(db.DataSource, "test.local/ledger");
        Assert.Equal([999L], (await reader.FindByAssetIdAsync(TestEntries.Make(999).AssetId, CancellationToken.None)).Select(e => e.Index));
        Assert.Equal([7L], (await reader.FindByFingerprintAsync(Fingerprint, 0, CancellationToken.None)).Select(m => m.Entry.Index));
    }
}
