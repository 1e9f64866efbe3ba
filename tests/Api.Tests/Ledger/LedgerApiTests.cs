using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Provenance.Api.Hosting;
using Provenance.Api.Ledger;
using Provenance.Ledger.Log;
using Provenance.Ledger.Merkle;
using Provenance.Ledger.Notes;
using Provenance.Testing.Postgres;

namespace Provenance.Api.Tests.Ledger;

/// <summary>The ledger read endpoints over HTTP (in-process server, real PostgreSQL), fed by the real writer.</summary>
public sealed class LedgerApiTests : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "provenance-ledger-api-" + Guid.NewGuid().ToString("N")[..12]);
    private TestDatabase? _database;
    private WebApplication? _app;
    private HttpClient _client = null!;
    private LedgerProvider _ledger = null!;

    public async Task InitializeAsync()
    {
        _database = await PostgresCluster.CreateDatabaseAsync(migrate: true);
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration["ConnectionStrings:Ledger"] = _database.ConnectionString;
        builder.Configuration["Provenance:DataDirectory"] = _dataDirectory;
        builder.Configuration["Ledger:Origin"] = "api.test/ledger";
        builder.Configuration["Ledger:CheckpointIntervalMs"] = "50";
        builder.Services.AddSingleton<DatabaseProvider>();
        builder.Services.AddLedger();
        _app = builder.Build();
        _app.MapLedgerApi();
        await _app.StartAsync();
        _client = _app.GetTestClient();
        _ledger = _app.Services.GetRequiredService<LedgerProvider>();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _ledger.DisposeAsync();
            await _app.DisposeAsync();
        }
        if (_database is not null) await _database.DisposeAsync();
        if (Directory.Exists(_dataDirectory)) Directory.Delete(_dataDirectory, recursive: true);
    }

    private static LedgerEntry Entry(int n) => new()
    {
        AssetId = 0x00aa_0000_0000_0000UL + (ulong)n,
        ManifestHash = SHA256.HashData(BitConverter.GetBytes(n)),
        ClaimSignatureHash = SHA256.HashData(BitConverter.GetBytes(-n)),
        SignerCertificateFingerprint = new byte[32],
        WatermarkPayload = 0x00bb_0000_0000_0000UL + (ulong)n,
        PerceptualFingerprints = [0x1234_5678_9abc_def0UL ^ (ulong)n],
        GeneratorId = "api-test",
    };

    private async Task<LedgerReceipt> SeedAsync(int count)
    {
        var log = await _ledger.GetLogAsync(CancellationToken.None);
        await Task.WhenAll(Enumerable.Range(0, count - 1).Select(i => log.SequenceAsync(Entry(i), CancellationToken.None)));
        return await log.AppendAsync(Entry(count - 1), CancellationToken.None);
    }

    [Fact]
    public async Task CheckpointAndTiles_AreServedInTheTlogTilesLayoutAndAgree()
    {
        await SeedAsync(300);
        var keys = (await _client.GetFromJsonAsync<LedgerKeysResponse>("/ledger/keys"))!.VerifierKeys.Select(NoteVerifier.Parse).ToList();

        var note = await _client.GetStringAsync("/ledger/checkpoint");
        var checkpoint = Checkpoint.Verify(note, "api.test/ledger", keys);
        Assert.Equal(300, checkpoint.Size);

        var full = await _client.GetByteArrayAsync("/ledger/tile/0/000");
        var partial = await _client.GetByteArrayAsync("/ledger/tile/0/001.p/44");
        var upper = await _client.GetByteArrayAsync("/ledger/tile/1/000.p/1");
        Assert.Equal(8192, full.Length);
        Assert.Equal(MerkleHash.PerfectSubtree(full, 256), upper);
        var tree = new TiledTree();
        for (var i = 0; i < 256; i++) tree.Append(full.AsSpan(i * 32, 32));
        for (var i = 0; i < 44; i++) tree.Append(partial.AsSpan(i * 32, 32));
        Assert.Equal(checkpoint.RootHash, tree.Root());

        var bundle = await _client.GetByteArrayAsync("/ledger/tile/entries/000");
        var first = bundle.AsSpan(2, (bundle[0] << 8) | bundle[1]).ToArray();
        Assert.Equal(full[..32], MerkleHash.Leaf(first));
        var response = await _client.GetAsync("/ledger/tile/0/001");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/ledger/tile/0/1")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/ledger/tile/0/001.p/0")).StatusCode);
    }

    [Fact]
    public async Task EntryEndpoints_ReturnTheEntryWithAReceiptThatVerifies()
    {
        await SeedAsync(40);
        var keys = _ledger.VerifierKeys().Select(NoteVerifier.Parse).ToList();

        var byIndex = (await _client.GetFromJsonAsync<LedgerEntryResponse>("/ledger/entries/7"))!;
        var byManifest = (await _client.GetFromJsonAsync<LedgerEntryResponse>($"/ledger/entries/by-manifest/{Convert.ToHexStringLower(Entry(7).ManifestHash)}"))!;
        var byAsset = (await _client.GetFromJsonAsync<List<LedgerEntryResponse>>($"/ledger/entries/by-asset/{LedgerEntry.FormatId(Entry(7).AssetId)}"))!;
        var byWatermark = (await _client.GetFromJsonAsync<List<LedgerEntryResponse>>($"/ledger/entries/by-watermark/{LedgerEntry.FormatId(Entry(7).WatermarkPayload)}"))!;
        var byFingerprint = (await _client.GetFromJsonAsync<List<LedgerEntryResponse>>($"/ledger/entries/by-fingerprint/{LedgerEntry.FormatId(0x1234_5678_9abc_def0UL ^ 7 ^ 0x8001)}?maxDistance=4"))!;

        Assert.Equal(byIndex.Index, byManifest.Index);
        Assert.Equal(byIndex.Index, Assert.Single(byAsset).Index);
        Assert.Equal(byIndex.Index, Assert.Single(byWatermark).Index);
        Assert.Contains(byFingerprint, f => f.Index == byIndex.Index && f.FingerprintDistance == 2);
        var (entry, _) = LedgerReceipt.Parse(byIndex.Receipt!).Verify("api.test/ledger", keys);
        Assert.Equal(Entry(7).ManifestHash, entry.Entry.ManifestHash);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/ledger/entries/99999")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync("/ledger/entries/by-asset/XYZ")).StatusCode);
    }

    [Fact]
    public async Task ConsistencyEndpoint_ReturnsAProofThatVerifies()
    {
        await SeedAsync(100);
        var proof = (await _client.GetFromJsonAsync<ConsistencyProofResponse>("/ledger/proof/consistency?from=37&to=100"))!;
        Assert.True(MerkleProof.VerifyConsistency(37, 100, Convert.FromBase64String(proof.FromRoot), Convert.FromBase64String(proof.ToRoot),
            proof.Hashes.Select(Convert.FromBase64String).ToList()));
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync("/ledger/proof/consistency?from=50&to=100000")).StatusCode);
    }
}
