using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Provenance.Ledger.Log;
using Provenance.Ledger.Merkle;

namespace Provenance.Api.Ledger;

/// <summary>
/// Read endpoints of the transparency log under <c>/ledger</c>: C2SP tlog-tiles (<c>/ledger/checkpoint</c>,
/// <c>/ledger/tile/L/N[.p/W]</c>, <c>/ledger/tile/entries/N[.p/W]</c>) so witnesses and auditors can follow it, and JSON
/// (<c>/ledger/entries/...</c> with inclusion proofs and receipts, <c>/ledger/proof/consistency</c>, <c>/ledger/keys</c>).
/// Needs <see cref="LedgerProvider"/> (services.AddLedger()).
/// </summary>
public static class LedgerApi
{
    private const string Immutable = "public, max-age=31536000, immutable";

    public static IEndpointRouteBuilder MapLedgerApi(this IEndpointRouteBuilder app)
    {
        var ledger = app.MapGroup("/ledger").WithTags("Ledger");
        ledger.MapGet("/checkpoint", GetCheckpointAsync);
        ledger.MapGet("/tile/entries/{**path}", GetEntryBundleAsync);
        ledger.MapGet("/tile/{level:int}/{**path}", GetTileAsync);
        ledger.MapGet("/keys", GetKeys);
        ledger.MapGet("/entries/{index:long}", GetEntryAsync);
        ledger.MapGet("/entries/by-manifest/{manifestHash}", GetByManifestAsync);
        ledger.MapGet("/entries/by-asset/{assetId}", GetByAssetAsync);
        ledger.MapGet("/entries/by-watermark/{payload}", GetByWatermarkAsync);
        ledger.MapGet("/entries/by-fingerprint/{fingerprint}", GetByFingerprintAsync);
        ledger.MapGet("/proof/consistency", GetConsistencyAsync);
        return app;
    }

    private static async Task<Results<ContentHttpResult, NotFound>> GetCheckpointAsync(LedgerProvider ledger, HttpContext http, CancellationToken ct)
    {
        var reader = await ledger.GetReaderAsync(ct);
        if (await reader.GetLatestCheckpointAsync(ct) is not { } checkpoint) return TypedResults.NotFound();
        http.Response.Headers.CacheControl = "no-cache";
        return TypedResults.Text(checkpoint.Note, "text/plain; charset=utf-8");
    }

    private static async Task<Results<FileContentHttpResult, NotFound>> GetTileAsync(int level, string path, LedgerProvider ledger, HttpContext http, CancellationToken ct)
    {
        if (!TryParseTilePath(path, out var index, out var width)) return TypedResults.NotFound();
        var reader = await ledger.GetReaderAsync(ct);
        if (await reader.GetTileAsync(level, index, width, ct) is not { } tile) return TypedResults.NotFound();
        http.Response.Headers.CacheControl = Immutable;
        return TypedResults.File(tile, "application/octet-stream");
    }

    private static async Task<Results<FileContentHttpResult, NotFound>> GetEntryBundleAsync(string path, LedgerProvider ledger, HttpContext http, CancellationToken ct)
    {
        if (!TryParseTilePath(path, out var index, out var width)) return TypedResults.NotFound();
        var reader = await ledger.GetReaderAsync(ct);
        if (await reader.GetEntryBundleAsync(index, width, ct) is not { } bundle) return TypedResults.NotFound();
        http.Response.Headers.CacheControl = Immutable;
        return TypedResults.File(bundle, "application/octet-stream");
    }

    /// <summary><c>x001/x234/067</c> or <c>x001/x234/067.p/17</c>.</summary>
    internal static bool TryParseTilePath(string path, out long index, out int? width)
    {
        width = null;
        index = 0;
        var partial = path.IndexOf(".p/", StringComparison.Ordinal);
        if (partial >= 0)
        {
            var w = path[(partial + 3)..];
            if (w.Length is 0 or > 3 || w[0] == '0' || !w.All(char.IsAsciiDigit)) return false;
            var parsed = int.Parse(w, CultureInfo.InvariantCulture);
            if (parsed is < 1 or > 255) return false;
            width = parsed;
            path = path[..partial];
        }
        return Tile.TryDecodeIndex(path, out index);
    }

    private static Ok<LedgerKeysResponse> GetKeys(LedgerProvider ledger) =>
        TypedResults.Ok(new LedgerKeysResponse(ledger.Options.Origin, ledger.VerifierKeys()));

    private static async Task<Results<Ok<LedgerEntryResponse>, NotFound>> GetEntryAsync(long index, LedgerProvider ledger, CancellationToken ct)
    {
        var reader = await ledger.GetReaderAsync(ct);
        return await reader.GetEntryAsync(index, ct) is { } entry ? TypedResults.Ok(await WithProofAsync(reader, entry, null, ct)) : TypedResults.NotFound();
    }

    private static async Task<Results<Ok<LedgerEntryResponse>, NotFound, BadRequest<string>>> GetByManifestAsync(string manifestHash, LedgerProvider ledger, CancellationToken ct)
    {
        if (manifestHash.Length != 64 || !manifestHash.All(Uri.IsHexDigit)) return TypedResults.BadRequest("manifest hash must be 64 hex digits");
        var reader = await ledger.GetReaderAsync(ct);
        return await reader.FindByManifestHashAsync(Convert.FromHexString(manifestHash), ct) is { } entry
            ? TypedResults.Ok(await WithProofAsync(reader, entry, null, ct))
            : TypedResults.NotFound();
    }

    private static Task<Results<Ok<IReadOnlyList<LedgerEntryResponse>>, BadRequest<string>>> GetByAssetAsync(string assetId, LedgerProvider ledger, CancellationToken ct) =>
        FindByIdAsync(assetId, ledger, (r, id, c) => r.FindByAssetIdAsync(id, c), ct);

    private static Task<Results<Ok<IReadOnlyList<LedgerEntryResponse>>, BadRequest<string>>> GetByWatermarkAsync(string payload, LedgerProvider ledger, CancellationToken ct) =>
        FindByIdAsync(payload, ledger, (r, id, c) => r.FindByWatermarkPayloadAsync(id, c), ct);

    private static async Task<Results<Ok<IReadOnlyList<LedgerEntryResponse>>, BadRequest<string>>> FindByIdAsync(string text, LedgerProvider ledger,
        Func<LedgerReader, ulong, CancellationToken, Task<IReadOnlyList<LoggedEntry>>> find, CancellationToken ct)
    {
        if (!LedgerEntry.TryParseId(text, out var id)) return TypedResults.BadRequest("expected 16 lowercase hex digits");
        var reader = await ledger.GetReaderAsync(ct);
        var results = new List<LedgerEntryResponse>();
        foreach (var entry in await find(reader, id, ct)) results.Add(await WithProofAsync(reader, entry, null, ct));
        return TypedResults.Ok<IReadOnlyList<LedgerEntryResponse>>(results);
    }

    private static async Task<Results<Ok<IReadOnlyList<LedgerEntryResponse>>, BadRequest<string>>> GetByFingerprintAsync(
        string fingerprint, int? maxDistance, LedgerProvider ledger, CancellationToken ct)
    {
        if (!LedgerEntry.TryParseId(fingerprint, out var value)) return TypedResults.BadRequest("expected 16 lowercase hex digits");
        var distance = maxDistance ?? 8;
        if (distance is < 0 or > LedgerReader.MaxFingerprintDistance) return TypedResults.BadRequest($"maxDistance must be 0..{LedgerReader.MaxFingerprintDistance}");
        var reader = await ledger.GetReaderAsync(ct);
        var results = new List<LedgerEntryResponse>();
        foreach (var match in await reader.FindByFingerprintAsync(value, distance, ct))
            results.Add(await WithProofAsync(reader, match.Entry, match.Distance, ct));
        return TypedResults.Ok<IReadOnlyList<LedgerEntryResponse>>(results);
    }

    private static async Task<Results<Ok<ConsistencyProofResponse>, BadRequest<string>>> GetConsistencyAsync(long from, long to, LedgerProvider ledger, CancellationToken ct)
    {
        var reader = await ledger.GetReaderAsync(ct);
        try
        {
            var proof = await reader.GetConsistencyProofAsync(from, to, ct);
            return TypedResults.Ok(new ConsistencyProofResponse(from, to,
                Convert.ToBase64String(await reader.GetRootAsync(from, ct)), Convert.ToBase64String(await reader.GetRootAsync(to, ct)),
                proof.Select(Convert.ToBase64String).ToList()));
        }
        catch (MerkleProofException e)
        {
            return TypedResults.BadRequest(e.Message);
        }
    }

    private static async Task<LedgerEntryResponse> WithProofAsync(LedgerReader reader, LoggedEntry entry, int? distance, CancellationToken ct)
    {
        var checkpoint = await reader.GetLatestCheckpointAsync(ct);
        if (checkpoint is null || entry.Index >= checkpoint.Checkpoint.Size) return LedgerEntryResponse.From(entry, null, null, null, distance);
        var receipt = await reader.GetReceiptAsync(entry.Index, checkpoint, ct);
        return LedgerEntryResponse.From(entry, receipt, checkpoint.Checkpoint.Size, checkpoint.Checkpoint.RootHash, distance);
    }
}
