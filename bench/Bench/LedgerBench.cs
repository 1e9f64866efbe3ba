using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Provenance.Ledger.Database;
using Provenance.Ledger.Log;
using Provenance.Ledger.Merkle;
using Provenance.Ledger.Notes;

namespace Provenance.Bench;

/// <summary>
/// <c>bench/run.sh ledger [--entries N] [--appends N] [--batch N (1024)] [--in-flight N (4 × batch)] [--appends-only]</c> (or ENTRIES /
/// APPENDS / BATCH / IN_FLIGHT in the environment; <c>--appends-only</c> skips the large log and its proofs): an embedded
/// PostgreSQL with fsync on in bench/out/ledger. Measures durable batched appends through the sequencer (rate and
/// acknowledgement latency), bulk-loads an N-entry log (default 10M; reused when already loaded), then inclusion
/// proof latency on it with one reader and throughput with eight, and the bytes each entry takes on disk.
/// </summary>
internal static class LedgerBench
{
    /// <summary>What <c>bench/run.sh ledger</c> accepts (checked before it runs).</summary>
    public static BenchArgs Arguments { get; } = new("bench/run.sh ledger [--entries N] [--appends N] [--batch N] [--in-flight N] [--appends-only]",
        ["--entries", "--appends", "--batch", "--in-flight"], ["--appends-only"]);

    private const string Origin = "bench.local/ledger";

    public static async Task<IReadOnlyDictionary<string, object?>> RunAsync(string[] args, CancellationToken ct)
    {
        var entries = Setting(args, "--entries", "ENTRIES", 10_000_000);
        var appends = Setting(args, "--appends", "APPENDS", 300_000);
        var batch = Setting(args, "--batch", "BATCH", 1024);
        // Appends in flight: the pipelined sequencer holds two batches (one committing, one being copied) while a third
        // gathers, so saturating it with batches of B takes about 4B clients (at 40k/s and ~100 ms per acknowledgement,
        // Little's law asks for 4,000 in flight).
        var inFlight = Setting(args, "--in-flight", "IN_FLIGHT", 4 * batch);
        var root = Path.GetFullPath(Path.Combine("bench", "out", "ledger"));
        Directory.CreateDirectory(root);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        var options = new EmbeddedPostgresOptions { Fsync = true, Database = "postgres", StartTimeout = TimeSpan.FromMinutes(3) };
        options.Settings["shared_buffers"] = "1GB";
        options.Settings["max_wal_size"] = "8GB";
        options.Settings["checkpoint_timeout"] = "15min";
        options.Settings["maintenance_work_mem"] = "1GB";
        options.Settings["wal_buffers"] = "64MB";
        await using var cluster = await EmbeddedPostgres.StartAsync(Path.Combine(root, "pg"), options, ct);
        BenchOutput.Progress($"PostgreSQL: {cluster} (fsync on)");
        var keys = CheckpointKeys.LoadOrCreate(Path.Combine(root, "keys"), Origin);
        var figures = new Dictionary<string, object?>();

        await using (var appendDb = await FreshDatabaseAsync(cluster, "bench_appends", ct))
            await MeasureAppendsAsync(appendDb, keys, appends, batch, inFlight, figures, ct);
        if (args.Contains("--appends-only")) return figures;

        var logName = $"bench_log_{entries}";
        await using var logDb = await OpenLogAsync(cluster, logName, entries, figures, ct);
        await MeasureProofsAsync(logDb, entries, figures, ct);
        await MeasureSizeAsync(logDb, entries, figures, ct);
        figures["entries"] = entries;
        return figures;
    }

    private static int Setting(string[] args, string flag, string variable, int fallback)
    {
        var at = Array.IndexOf(args, flag);
        var text = at >= 0 && at + 1 < args.Length ? args[at + 1] : Environment.GetEnvironmentVariable(variable);
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
    }

    private static async Task MeasureAppendsAsync(NpgsqlDataSource db, CheckpointKeys keys, int count, int batch, int inFlight, Dictionary<string, object?> figures, CancellationToken ct)
    {
        var options = new LedgerOptions { Origin = Origin, MaxBatchSize = batch };
        await using var log = await TransparencyLog.OpenAsync(db, options, keys, ct);
        var source = new EntrySource(seed: 1);
        BenchOutput.Progress("appends: warm-up");
        await RunProducersAsync(log, source, 256, 20_000, ct);

        BenchOutput.Progress($"appends: {count:N0} with {inFlight:N0} in flight, batches of at most {batch:N0}");
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var (size0, batches0) = (log.Committed.Size, log.BatchesCommitted);
        var clock = Stopwatch.StartNew();
        var latencies = await RunProducersAsync(log, source, inFlight, count, ct);
        BenchOutput.Progress($"appends: client process cpu {(Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds:F1} s in {clock.Elapsed.TotalSeconds:F1} s");
        figures["batch_size"] = batch;
        figures["in_flight"] = inFlight;
        var seconds = clock.Elapsed.TotalSeconds;
        figures["appends_per_s"] = Math.Round(count / seconds);
        figures["ack_p50_ms"] = Percentile(latencies, 0.50);
        figures["ack_p99_ms"] = Percentile(latencies, 0.99);
        figures["mean_batch"] = Math.Round((double)(log.Committed.Size - size0) / Math.Max(1, log.BatchesCommitted - batches0));
        BenchOutput.Progress($"appends: {count / seconds:N0}/s, ack p50 {figures["ack_p50_ms"]} ms, p99 {figures["ack_p99_ms"]} ms");

        // The lookup indexer follows the sequencer off the acknowledgement path: how far behind it was, and how long
        // it took to catch up once the appends stopped.
        var committed = log.Committed.Size;
        clock.Restart();
        var lag = committed - await IndexedSizeAsync(db, ct);
        while (await IndexedSizeAsync(db, ct) < committed) await Task.Delay(20, ct);
        figures["lookup_lag_entries"] = lag;
        figures["lookup_catch_up_s"] = Math.Round(clock.Elapsed.TotalSeconds, 2);
        BenchOutput.Progress($"lookups: indexer {lag:N0} entries behind at the end, caught up in {clock.Elapsed.TotalSeconds:N2} s");

        BenchOutput.Progress("appends: light load (16 in flight)");
        var light = await RunProducersAsync(log, source, 16, 5_000, ct);
        figures["ack_light_load_p50_ms"] = Percentile(light, 0.50);
        figures["ack_light_load_p99_ms"] = Percentile(light, 0.99);
    }

    private static async Task<long> IndexedSizeAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var command = db.CreateCommand("SELECT next_idx FROM ledger_lookup_progress");
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    private static async Task<double[]> RunProducersAsync(TransparencyLog log, EntrySource source, int producers, int count, CancellationToken ct)
    {
        var latencies = new double[count];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, producers).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var entry = source.Next();
                var started = Stopwatch.GetTimestamp();
                await log.SequenceAsync(entry, ct);
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        }, ct)));
        return latencies;
    }

    private static async Task<NpgsqlDataSource> OpenLogAsync(EmbeddedPostgres cluster, string name, int entries, Dictionary<string, object?> figures, CancellationToken ct)
    {
        if (await DatabaseExistsAsync(cluster, name, ct))
        {
            var existing = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(cluster.ConnectionString) { Database = name }.ConnectionString);
            await new Migrator(existing).MigrateAsync(ct);
            var head = await new LedgerReader(existing, Origin).GetTreeHeadAsync(ct);
            await using var indexes = existing.CreateCommand("SELECT count(*) FROM pg_indexes WHERE indexname = 'ledger_lookup_fingerprint_bands'");
            if (head.Size == entries && (long)(await indexes.ExecuteScalarAsync(ct))! == 1)
            {
                BenchOutput.Progress($"log: reusing the loaded {entries:N0}-entry log");
                figures["load_reused"] = true;
                return existing;
            }
            await existing.DisposeAsync();
        }
        var db = await FreshDatabaseAsync(cluster, name, ct);
        BenchOutput.Progress($"log: bulk-loading {entries:N0} entries (COPY in chunks, computed tiles, indexes built after)");
        var clock = Stopwatch.StartNew();
        await ExecuteAsync(db, "DROP INDEX ledger_entries_manifest_hash; DROP INDEX ledger_lookup_asset_id; DROP INDEX ledger_lookup_watermark_payload; DROP INDEX ledger_lookup_fingerprint_bands", ct);
        var source = new EntrySource(seed: 2);
        var progress = new Progress<long>(n => { if (n % 1_000_000 == 0) BenchOutput.Progress($"log: {n:N0} entries after {clock.Elapsed.TotalSeconds:N0} s"); });
        var head2 = await LedgerBulkLoader.LoadAsync(db, Enumerable.Range(0, entries).Select(_ => source.Next()), DateTimeOffset.UtcNow, 50_000, progress, ct);
        var loaded = clock.Elapsed.TotalSeconds;
        BenchOutput.Progress($"log: rows in {loaded:N0} s; building indexes");
        await ExecuteAsync(db, """
            SET maintenance_work_mem = '1GB';
            CREATE UNIQUE INDEX ledger_entries_manifest_hash ON ledger_entries (manifest_hash);
            CREATE INDEX ledger_lookup_asset_id ON ledger_lookup (asset_id);
            CREATE INDEX ledger_lookup_watermark_payload ON ledger_lookup (watermark_payload);
            CREATE INDEX ledger_lookup_fingerprint_bands ON ledger_lookup USING gin (fingerprint_bands);
            """, ct);
        foreach (var table in new[] { "ledger_entries", "ledger_lookup", "ledger_tiles" })
            await ExecuteAsync(db, $"VACUUM ANALYZE {table}", ct);
        figures["load_seconds"] = Math.Round(clock.Elapsed.TotalSeconds);
        BenchOutput.Progress($"log: {head2.Size:N0} entries loaded in {clock.Elapsed.TotalSeconds:N0} s");
        return db;
    }

    private static async Task MeasureProofsAsync(NpgsqlDataSource db, int entries, Dictionary<string, object?> figures, CancellationToken ct)
    {
        var reader = new LedgerReader(db, Origin);
        var head = await reader.GetTreeHeadAsync(ct);
        var random = new Random(3);
        BenchOutput.Progress("proofs: warm-up");
        for (var i = 0; i < 2_000; i++) await reader.GetInclusionProofAsync(random.NextInt64(head.Size), head.Size, ct);

        var latencies = new double[5_000];
        for (var i = 0; i < latencies.Length; i++)
        {
            var index = random.NextInt64(head.Size);
            var started = Stopwatch.GetTimestamp();
            var proof = await reader.GetInclusionProofAsync(index, head.Size, ct);
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (i % 500 == 0)
            {
                var entry = (await reader.GetEntryAsync(index, ct))!;
                if (!MerkleProof.VerifyInclusion(index, head.Size, entry.LeafHash, proof, head.RootHash))
                    throw new InvalidOperationException($"inclusion proof of {index} does not verify");
            }
        }
        figures["proof_p50_ms"] = Percentile(latencies, 0.50);
        figures["proof_p99_ms"] = Percentile(latencies, 0.99);

        BenchOutput.Progress("proofs: 8 readers for 10 s");
        long done = 0;
        using var window = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(r => Task.Run(async () =>
        {
            var own = new Random(100 + r);
            while (!window.IsCancellationRequested)
            {
                await reader.GetInclusionProofAsync(own.NextInt64(head.Size), head.Size, ct);
                Interlocked.Increment(ref done);
            }
        }, ct)));
        figures["proofs_per_s"] = Math.Round(done / clock.Elapsed.TotalSeconds);
        BenchOutput.Progress($"proofs: p50 {figures["proof_p50_ms"]} ms, p99 {figures["proof_p99_ms"]} ms, {figures["proofs_per_s"]}/s with 8 readers");
    }

    private static async Task MeasureSizeAsync(NpgsqlDataSource db, int entries, Dictionary<string, object?> figures, CancellationToken ct)
    {
        async Task<long> SizeAsync(string table)
        {
            await using var command = db.CreateCommand($"SELECT pg_total_relation_size('{table}')");
            return (long)(await command.ExecuteScalarAsync(ct))!;
        }
        var log = await SizeAsync("ledger_entries");
        var lookup = await SizeAsync("ledger_lookup");
        var tiles = await SizeAsync("ledger_tiles");
        figures["bytes_per_entry"] = Math.Round((double)(log + lookup + tiles) / entries, 1);
        figures["bytes_per_entry_log"] = Math.Round((double)log / entries, 1);
        figures["bytes_per_entry_lookups"] = Math.Round((double)lookup / entries, 1);
        figures["bytes_per_entry_tiles"] = Math.Round((double)tiles / entries, 1);
    }

    private static double Percentile(double[] values, double p)
    {
        var sorted = values.Order().ToArray();
        return Math.Round(sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))], 3);
    }

    private static async Task<bool> DatabaseExistsAsync(EmbeddedPostgres cluster, string name, CancellationToken ct)
    {
        await using var admin = NpgsqlDataSource.Create(cluster.AdminConnectionString);
        await using var command = admin.CreateCommand("SELECT count(*) FROM pg_database WHERE datname = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = name });
        return (long)(await command.ExecuteScalarAsync(ct))! > 0;
    }

    private static async Task<NpgsqlDataSource> FreshDatabaseAsync(EmbeddedPostgres cluster, string name, CancellationToken ct)
    {
        await using (var admin = NpgsqlDataSource.Create(cluster.AdminConnectionString))
        {
            await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)", ct);
            await ExecuteAsync(admin, $"CREATE DATABASE {name}", ct);
        }
        var db = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(cluster.ConnectionString) { Database = name, MaxPoolSize = 64 }.ConnectionString);
        await new Migrator(db).MigrateAsync(ct);
        return db;
    }

    private static async Task ExecuteAsync(NpgsqlDataSource db, string sql, CancellationToken ct)
    {
        await using var command = db.CreateCommand(sql);
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Synthetic entries: random hashes, one fingerprint, asset id = watermark payload (thread-safe).</summary>
    private sealed class EntrySource(int seed)
    {
        private readonly Random _random = new(seed);
        private readonly byte[] _signer = System.Security.Cryptography.SHA256.HashData("bench signer"u8);

        public LedgerEntry Next()
        {
            var bytes = new byte[32 + 32 + 8 + 8];
            lock (_random) _random.NextBytes(bytes);
            var asset = BitConverter.ToUInt64(bytes, 64);
            return new LedgerEntry
            {
                AssetId = asset,
                ManifestHash = bytes[..32],
                ClaimSignatureHash = bytes[32..64],
                SignerCertificateFingerprint = _signer,
                WatermarkPayload = asset,
                PerceptualFingerprints = [BitConverter.ToUInt64(bytes, 72)],
                GeneratorId = "bench/synthetic-1",
            };
        }
    }
}
