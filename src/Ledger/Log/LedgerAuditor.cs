using Npgsql;
using Provenance.Ledger.Merkle;
using Provenance.Ledger.Notes;

namespace Provenance.Ledger.Log;

/// <summary>What an audit found: the tree it recomputed and every problem (empty when the log is sound).</summary>
public sealed record AuditReport(long TreeSize, byte[] RootHash, long EntriesChecked, long TilesChecked, IReadOnlyList<string> Problems)
{
    public bool Passed => Problems.Count == 0;
}

/// <summary>
/// Recomputes the tree from the stored log: every entry's leaf hash against the level-0 tiles, every upper tile
/// from the tiles below, the root against the tree state and the latest checkpoint, and a saved checkpoint's
/// consistency with the tree as it is now (the log must be an extension of what it once signed).
/// </summary>
public static class LedgerAuditor
{
    public static async Task<AuditReport> AuditAsync(NpgsqlDataSource dataSource, string origin, IReadOnlyList<NoteVerifier> trustedKeys,
        string? savedCheckpoint, bool checkEntries, IProgress<long>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(trustedKeys);
        var problems = new List<string>();
        var reader = new LedgerReader(dataSource, origin);
        var head = await reader.GetTreeHeadAsync(ct).ConfigureAwait(false);
        var tree = new TiledTree();
        long entriesChecked = 0, tilesChecked = 0;

        await using var tileConnection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var entryConnection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var tiles = new NpgsqlCommand("SELECT idx, hashes FROM ledger_tiles WHERE level = 0 AND idx < $1 ORDER BY idx", tileConnection);
        tiles.Parameters.Add(new NpgsqlParameter { Value = (head.Size + Tile.Width - 1) / Tile.Width });
        await using var entries = new NpgsqlCommand("SELECT idx, data FROM ledger_entries WHERE idx < $1 ORDER BY idx", entryConnection);
        entries.Parameters.Add(new NpgsqlParameter { Value = checkEntries ? head.Size : 0L });
        await using var tileRows = await tiles.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await using var entryRows = await entries.ExecuteReaderAsync(ct).ConfigureAwait(false);

        var expectedTile = 0L;
        while (tree.Size < head.Size && problems.Count < 20)
        {
            if (!await tileRows.ReadAsync(ct).ConfigureAwait(false) || tileRows.GetInt64(0) != expectedTile)
            {
                problems.Add($"level-0 tile {expectedTile} is missing");
                break;
            }
            var hashes = tileRows.GetFieldValue<byte[]>(1);
            var width = Tile.WidthAt(0, expectedTile, head.Size);
            if (hashes.Length < width * MerkleHash.Size) { problems.Add($"level-0 tile {expectedTile} holds fewer than {width} hashes"); break; }
            for (var i = 0; i < width; i++)
            {
                var leaf = hashes.AsSpan(i * MerkleHash.Size, MerkleHash.Size);
                if (checkEntries)
                {
                    var index = tree.Size;
                    if (!await entryRows.ReadAsync(ct).ConfigureAwait(false) || entryRows.GetInt64(0) != index)
                    {
                        problems.Add($"entry {index} is missing");
                        checkEntries = false;
                    }
                    else
                    {
                        if (!MerkleHash.Leaf(entryRows.GetFieldValue<byte[]>(1)).AsSpan().SequenceEqual(hashes.AsSpan(i * MerkleHash.Size, MerkleHash.Size)))
                            problems.Add($"entry {index} does not hash to its leaf in tile 0/{expectedTile}");
                        entriesChecked++;
                    }
                }
                tree.Append(hashes.AsSpan(i * MerkleHash.Size, MerkleHash.Size));
            }
            tilesChecked++;
            tilesChecked += await CompareUpperTilesAsync(reader, tree.TakeChangedTiles(), problems, ct).ConfigureAwait(false);
            expectedTile++;
            if (expectedTile % 1024 == 0) progress?.Report(tree.Size);
        }
        progress?.Report(tree.Size);

        var root = tree.Root();
        if (problems.Count == 0 && !root.AsSpan().SequenceEqual(head.RootHash))
            problems.Add($"the tiles hash to a root that differs from the recorded tree state at size {head.Size}");

        if (await reader.GetLatestCheckpointAsync(ct).ConfigureAwait(false) is { } latest)
            await CheckCheckpointAsync(reader, latest.Note, "latest checkpoint", head, origin, trustedKeys, problems, ct).ConfigureAwait(false);
        if (savedCheckpoint is not null)
            await CheckCheckpointAsync(reader, savedCheckpoint, "saved checkpoint", head, origin, trustedKeys, problems, ct).ConfigureAwait(false);
        return new AuditReport(tree.Size, root, entriesChecked, tilesChecked, problems);
    }

    private static async Task<long> CompareUpperTilesAsync(LedgerReader reader, IReadOnlyList<Tile> computed, List<string> problems, CancellationToken ct)
    {
        long compared = 0;
        foreach (var tile in computed.Where(t => t.Level > 0 && t.IsFull))
        {
            var stored = await reader.GetTileAsync(tile.Level, tile.Index, null, ct).ConfigureAwait(false);
            if (stored is null || !stored.AsSpan().SequenceEqual(tile.Hashes)) problems.Add($"tile {tile.Level}/{tile.Index} does not match the tiles below it");
            compared++;
        }
        return compared;
    }

    private static async Task CheckCheckpointAsync(LedgerReader reader, string note, string what, TreeHead head, string origin,
        IReadOnlyList<NoteVerifier> trustedKeys, List<string> problems, CancellationToken ct)
    {
        Checkpoint checkpoint;
        try
        {
            checkpoint = trustedKeys.Count > 0
                ? Checkpoint.Verify(note, origin, trustedKeys)
                : Checkpoint.ParseText(SignedNote.Parse(note).Text);
        }
        catch (SignedNoteException e)
        {
            problems.Add($"{what}: {e.Message}");
            return;
        }
        if (checkpoint.Size > head.Size)
        {
            problems.Add($"{what} signs size {checkpoint.Size} but the log holds only {head.Size}: the log was rolled back");
            return;
        }
        if (checkpoint.Size == 0) return; // every tree extends the empty tree
        var proof = await reader.GetConsistencyProofAsync(checkpoint.Size, head.Size, ct).ConfigureAwait(false);
        if (!MerkleProof.VerifyConsistency(checkpoint.Size, head.Size, checkpoint.RootHash, head.RootHash, proof))
            problems.Add($"{what} at size {checkpoint.Size} is not consistent with the log at size {head.Size}");
    }
}
