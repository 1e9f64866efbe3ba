using Npgsql;
using Provenance.Ledger.Database;
using Provenance.Ledger.Log;
using Provenance.Media;
using Provenance.Media.Fingerprints;

namespace Provenance.Bench;

/// <summary>
/// A throw-away ledger for the detector benchmark: an embedded PostgreSQL cluster (fsync off) in the benchmark's work
/// folder, migrated, bulk-loaded with random records and the benchmark clip's own record (its key-frame fingerprints).
/// </summary>
internal sealed class BenchLedger : IAsyncDisposable
{
    /// <summary>The asset id the benchmark clip is registered under.</summary>
    public const ulong ClipAssetId = 0x00be_0c40_0000_0001UL;
    private const int FingerprintsPerRecord = 8;

    private readonly EmbeddedPostgres cluster;
    private readonly NpgsqlDataSource dataSource;

    private BenchLedger(EmbeddedPostgres cluster, NpgsqlDataSource dataSource)
    {
        this.cluster = cluster;
        this.dataSource = dataSource;
        Reader = new LedgerReader(dataSource, "bench.local/detector");
    }

    public LedgerReader Reader { get; }

    public static async Task<BenchLedger> StartAsync(string work, int records, string clip, FfmpegRunner runner, CancellationToken ct)
    {
        if (!OperatingSystem.IsWindows())
        {
            // The cluster runs as the postgres account: it must be able to reach its folder.
            File.SetUnixFileMode(work, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }
        var cluster = await EmbeddedPostgres.StartAsync(Path.Combine(work, "pg"),
            new EmbeddedPostgresOptions { Fsync = false, StartTimeout = TimeSpan.FromMinutes(3) }, ct);
        var dataSource = NpgsqlDataSource.Create(cluster.ConnectionString);
        try
        {
            await new Migrator(dataSource).MigrateAsync(ct);
            var clipFingerprints = await new ClipFingerprinter(runner).FingerprintAsync(clip, ct);
            await LedgerBulkLoader.LoadAsync(dataSource, Records(records, clipFingerprints), DateTimeOffset.UtcNow, 2048, null, ct);
            return new BenchLedger(cluster, dataSource);
        }
        catch
        {
            await dataSource.DisposeAsync();
            await cluster.DisposeAsync();
            throw;
        }
    }

    private static IEnumerable<LedgerEntry> Records(int count, IReadOnlyList<ulong> clipFingerprints)
    {
        var random = new Random(20261121);
        byte[] Hash()
        {
            var bytes = new byte[32];
            random.NextBytes(bytes);
            return bytes;
        }
        for (var i = 0; i < count; i++)
        {
            var id = (ulong)random.NextInt64() | 1UL << 62;
            yield return new LedgerEntry
            {
                AssetId = id,
                ManifestHash = Hash(),
                ClaimSignatureHash = Hash(),
                SignerCertificateFingerprint = Hash(),
                WatermarkPayload = id,
                PerceptualFingerprints = Enumerable.Range(0, FingerprintsPerRecord).Select(_ => (ulong)random.NextInt64() ^ (ulong)random.Next() << 63).ToList(),
                GeneratorId = "bench/random",
            };
        }
        yield return new LedgerEntry
        {
            AssetId = ClipAssetId,
            ManifestHash = Hash(),
            ClaimSignatureHash = Hash(),
            SignerCertificateFingerprint = Hash(),
            WatermarkPayload = ClipAssetId,
            PerceptualFingerprints = clipFingerprints.Take(LedgerEntry.MaxFingerprints).ToList(),
            GeneratorId = "bench/clip",
        };
    }

    public async ValueTask DisposeAsync()
    {
        await dataSource.DisposeAsync();
        await cluster.DisposeAsync();
    }
}
