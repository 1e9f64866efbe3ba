using Npgsql;
using Provenance.Ledger.Log;
using Provenance.Ledger.Merkle;
using Provenance.Ledger.Notes;
using Provenance.Testing.Postgres;

namespace Provenance.Ledger.Tests.Log;

/// <summary>The log end to end on a real PostgreSQL: appends, receipts, proofs, duplicates, lookups.</summary>
public sealed class TransparencyLogTests
{
    [Fact]
    public async Task Append_ReturnsAReceiptThatVerifiesOfflineWithThePublishedKeys()
    {
        using var temp = new TempDirectory();
        await using var db = await PostgresCluster.CreateDatabaseAsync(migrate: true);
        var keys = TestEntries.Keys(temp);
        await using var log = await TransparencyLog.OpenAsync(db.DataSource, TestEntries.FastOptions(), keys, CancellationToken.None);

        var receipt = await log.AppendAsync(TestEntries.Make(1), CancellationToken.None);
        var text = receipt.ToTlogProof();

        Assert.StartsWith("c2sp.org/tlog-proof@v1\nextra ", text, StringComparison.Ordinal);
        var published = CheckpointKeys.ReadVerifierKeys(temp.Combine("keys", CheckpointKeys.VerifierKeysFileName));
        foreach (var key in published)
        {
            var (entry, checkpoint) = LedgerReceipt.Parse(text).Verify("test.local/ledger", [key]);
            Assert.Equal(0, entry.Index);
            Assert.Equal(TestEntries.Make(1).ManifestHash, entry.Entry.ManifestHash);
            Assert.True(checkpoint.Size >= 1);
        }
    }

    [Fact]
    public async Task AReceipt_WithAnyPartChanged_FailsToVerify()
    {
        using var temp = new TempDirectory();
        await using var db = await PostgresCluster.CreateDatabaseAsync(migrate: true);
        var keys = TestEntries.Keys(temp);
        await using var log = await TransparencyLog.OpenAsync(db.DataSource, TestEntries.FastOptions(), keys, CancellationToken.None);
        for (var i = 0; i < 5; i++) await log.SequenceAsync(TestEntries.Make(100 + i), CancellationToken.None);
        var receipt = await log.AppendAsync(TestEntries.Make(1), CancellationToken.None);
        Assert.NotEmpty(receipt.InclusionProof);

        var otherEntry = receipt with { EntryData = (await log.Reader.GetEntryAsync(0, CancellationToken.None))!.Data };
        var otherIndex = receipt with { Index = receipt.Index - 1 };
        var flippedProof = receipt with { InclusionProof = [.. receipt.InclusionProof.Skip(1), receipt.InclusionProof[0]] };
        var otherOrigin = "someone.else/log";
        Assert.Throws<ReceiptVerificationException>(() => otherEntry.Verify("test.local/ledger", keys.Verifiers));
        Assert.Throws<ReceiptVerificationException>(() => otherIndex.Verify("test.local/ledger", keys.Verifiers));
        Assert.Throws<ReceiptVerificationException>(() => LedgerReceipt.Parse(flippedProof.ToTlogProof()).Verify("test.local/ledger", keys.Verifiers));
        Assert.Throws<ReceiptVerificationException>(() => receipt.Verify(otherOrigin, keys.Verifiers));
        Assert.Throws<ReceiptVerificationException>(() => receipt.Verify("test.local/ledger", CheckpointKeys.LoadOrCreate(temp.Combine("other-keys"), "test.local/ledger").Verifiers));
    }

    [Fact]
    public async Task ConcurrentAppends_GetDistinctIndicesAndTheStoredTilesHashToTheCommittedRoot()
    {
        using var temp = new TempDirectory();
        await using var db = await PostgresCluster.CreateDatabaseAsync(migrate: true);
        await using var log = await TransparencyLog.OpenAsync(db.DataSource, TestEntries.FastOptions(), TestEntries.Keys(temp), CancellationToken.None);

        var sequenced = await Task.WhenAll(Enumerable.Range(0, 3000).Select(i => log.SequenceAsync(TestEntries.Make(i), CancellationToken.None)));

        Assert.Equal(Enumerable.Range(0, 3000).Select(i => (long)i), sequenced.Select(s => s.Index).Order());
        var head = await log.Reader.GetTreeHeadAsync(CancellationToken.None);
        Assert.Equal(3000, head.Size);
        Assert.Equal(head.RootHash, await log.Reader.GetRootAsync(3000, CancellationToken.None));
        var reference = new TiledTree();
        foreach (var s in sequenced.OrderBy(s => s.Index)) reference.Append(s.LeafHash);
        Assert.Equal(reference.Root(), head.RootHash);
        foreach (var s in sequenced.Where(s => s.Index % 257 == 0))
        {
            var proof = await log.Reader.GetInclusionProofAsync(s.Index, 3000, CancellationToken.None);
            Assert.True(MerkleProof.VerifyInclusion(s.Index, 3000, s.LeafHash, proof, head.RootHash));
        }
    }

    [Fact]
    public async Task Duplicates_AreRejectedOneByOneWhileTheRestOfTheBatchIsLogged()
    {
        using var temp = new TempDirectory();
        await using var db = await PostgresCluster.CreateDatabaseAsync(migrate: true);
        await using var log = await TransparencyLog.OpenAsync(db.DataSource, TestEntries.FastOptions(), TestEntries.Keys(temp), CancellationToken.None);
        var first = await log.SequenceAsync(TestEntries.Make(7), CancellationToken.None);

        var attempts = new[] { TestEntries.Make(1), TestEntries.Make(7), TestEntries.Make(2), TestEntries.Make(1), TestEntries.Make(3) }
            .Select(e => log.SequenceAsync(e, CancellationToken.None)).ToList();
        await Task.WhenAll(attempts.Select(a => a.ContinueWith(_ => { }, TaskScheduler.Default)));

        var alreadyLogged = await Assert.ThrowsAsync<DuplicateEntryException>(() => attempts[1]);
        Assert.Equal(first.Index, alreadyLogged.ExistingIndex);
        var sameBatch = await Assert.ThrowsAsync<DuplicateEntryException>(() => attempts[3]);
        Assert.Equal((await attempts[0]).Index, sameBatch.ExistingIndex);
        Assert.Equal(4, (await log.Reader.GetTreeHeadAsync(CancellationToken.None)).Size);
        Assert.Equal([1L, 2, 3], new[] { attempts[0], attempts[2], attempts[4] }.Select(a => a.Result.Index).Order());
    }

    [Fact]
    public async Task DuplicatesSpreadOverBatchesInFlightTogether_AreEachRejectedWithTheIndexOfTheFirst()
    {
        await using var db = await PostgresCluster.CreateDatabaseAsync(migrate: true);
        var options = TestEntries.FastOptions();
        options.MaxBatchSize = 50; // many small batches: one commits while the next, holding its duplicates, is copied
        await using var sequencer = await LedgerSequencer.StartAsync(db.DataSource, options, CancellationToken.None);
        var submissions = Enumerable.Range(0, 3000).Select(i => i % 1000).ToList();

        var attempts = submissions.Select(n => sequencer.SequenceAsync(TestEntries.Make(n), CancellationToken.None)).ToList();
        await Task.WhenAll(attempts.Select(a => a.ContinueWith(_ => { }, TaskScheduler.Default)));

        var logged = new Dictionary<int, long>();
        for (var i = 0; i < 1000; i++) logged[i] = (await attempts[i]).Index;
        for (var i = 1000; i < 3000; i++)
        {
            var duplicate = await Assert.ThrowsAsync<DuplicateEntryException>(() => attempts[i]);
            Assert.Equal(logged[submissions[i]], duplicate.ExistingIndex);
        }
        var reader = new LedgerReader(db.DataSource, "test.local/ledger");
        var head = await reader.GetTreeHeadAsync(CancellationToken.None);
        Assert.Equal(1000, head.Size);
        Assert.Equal(head.RootHash, await reader.GetRootAsync(head.Size, CancellationToken.None));
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => (long)i), logged.Values.Order());
    }

    [Fact]
    public async Task ConsistencyProofs_BetweenPublishedCheckpoints_Verify()
    {
        using var temp = new TempDirectory();
        await using var db = await PostgresCluster.CreateDatabaseAsync(migrate: true);
        var keys = TestEntries.Keys(temp);
        await using var log = await TransparencyLog.OpenAsync(db.DataSource, TestEntries.FastOptions(), keys, CancellationToken.None);
        await Task.WhenAll(Enumerable.Range(0, 300).Select(i => log.SequenceAsync(TestEntries.Make(i), CancellationToken.None)));
        var older = (await log.AppendAsync(TestEntries.Make(1000), CancellationToken.None)).SignedCheckpoint;
        await Task.WhenAll(Enumerable.Range(300, 500).Select(i => log.SequenceAsync(TestEntries.Make(i), CancellationToken.None)));
        var newer = (await log.AppendAsync(TestEntries.Make(2000), CancellationToken.None)).SignedCheckpoint;

        var a = Checkpoint.Verify(older, "test.local/ledger", keys.Verifiers);
        var b = Checkpoint.Verify(newer, "test.local/ledger", keys.Verifiers);
        var proof = await log.Reader.GetConsistencyProofAsync(a.Size, b.Size, CancellationToken.None);

        Assert.True(b.Size > a.Size);
        Assert.True(MerkleProof.VerifyConsistency(a.Size, b.Size, a.RootHash, b.RootHash, proof));
        Assert.Equal(b.Size, (await log.Reader.GetLatestCheckpointAsync(CancellationToken.None))!.Checkpoint.Size);
    }

    [Fact]
    public async Task Lookups_FindEntriesByManifestAssetWatermarkAndNearbyFingerprints()
    {
        using var temp = new TempDirectory();
        await using var db = await PostgresCluster.CreateDatabaseAsync(migrate: true);
        await using var log = await TransparencyLog.OpenAsync(db.DataSource, TestEntries.FastOptions(), TestEntries.Keys(temp), CancellationToken.None);
        const ulong fingerprint = 0x0123_4567_89AB_CDEFUL;
        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => log.SequenceAsync(TestEntries.Make(i, (ulong)i * 0x9E37_79B9_7F4A_7C15UL), CancellationToken.None)));
        var target = await log.SequenceAsync(TestEntries.Make(500, 0xFFFF_0000_FFFF_0000UL, fingerprint), CancellationToken.None);
        var reader = log.Reader;

        Assert.Equal(target.Index, (await reader.FindByManifestHashAsync(TestEntries.Make(500).ManifestHash, CancellationToken.None))!.Index);
        Assert.Null(await reader.FindByManifestHashAsync(new byte[32], CancellationToken.None));
        Assert.Equal([target.Index], (await reader.FindByAssetIdAsync(TestEntries.Make(500).AssetId, CancellationToken.None)).Select(e => e.Index));
        Assert.Equal([target.Index], (await reader.FindByWatermarkPayloadAsync(TestEntries.Make(500).WatermarkPayload, CancellationToken.None)).Select(e => e.Index));

        // Nine bits flipped, spread over all four bands: found at distance 9 with d = 10, not with d = 8.
        var near = fingerprint ^ 0x8000_0001_0100_0107UL ^ 0x0000_0400_0000_0000UL ^ 0x0010_0000_0000_0000UL;
        Assert.Equal(9, System.Numerics.BitOperations.PopCount(near ^ fingerprint));
        var found = await reader.FindByFingerprintAsync(near, 10, CancellationToken.None);
        Assert.Equal(target.Index, found[0].Entry.Index);
        Assert.Equal(9, found[0].Distance);
        Assert.DoesNotContain(await reader.FindByFingerprintAsync(near, 8, CancellationToken.None), m => m.Entry.Index == target.Index);
    }

    [Fact]
    public async Task TileAndEntryBundleReads_FollowTheTlogTilesLayout()
    {
        using var temp = new TempDirectory();
        await using var db = await PostgresCluster.CreateDatabaseAsync(migrate: true);
        await using var log = await TransparencyLog.OpenAsync(db.DataSource, TestEntries.FastOptions(), TestEntries.Keys(temp), CancellationToken.None);
        var sequenced = await Task.WhenAll(Enumerable.Range(0, 300).Select(i => log.SequenceAsync(TestEntries.Make(i), CancellationToken.None)));
        var byIndex = sequenced.OrderBy(s => s.Index).ToList();

        var full = await log.Reader.GetTileAsync(0, 0, null, CancellationToken.None);
        var partial = await log.Reader.GetTileAsync(0, 1, 44, CancellationToken.None);
        Assert.Equal(8192, full!.Length);
        Assert.Equal(byIndex[255].LeafHash, full[(255 * 32)..]);
        Assert.Equal(44 * 32, partial!.Length);
        Assert.Null(await log.Reader.GetTileAsync(0, 1, null, CancellationToken.None));
        Assert.Null(await log.Reader.GetTileAsync(0, 1, 45, CancellationToken.None));
        Assert.Equal(MerkleHash.PerfectSubtree(full, 256), (await log.Reader.GetTileAsync(1, 0, 1, CancellationToken.None))!);

        var bundle = (await log.Reader.GetEntryBundleAsync(1, 44, CancellationToken.None))!;
        var first = (bundle[0] << 8) | bundle[1];
        Assert.Equal(byIndex[256].Data, bundle[2..(2 + first)]);
        Assert.Null(await log.Reader.GetEntryBundleAsync(1, null, CancellationToken.None));
    }
}
