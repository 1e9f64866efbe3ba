namespace Provenance.Ledger.Merkle;

/// <summary>Fetches whole tiles by (level, index); a tile may be longer than a given tree size needs (tiles only grow).</summary>
public delegate Task<IReadOnlyDictionary<(int Level, long Index), byte[]>> TileFetcher(
    IReadOnlyCollection<(int Level, long Index)> tiles, CancellationToken ct);

/// <summary>Computes the hashes of leaf ranges (proof elements) from tiles, fetching every tile a request needs at once.</summary>
public static class TileHashReader
{
    /// <summary>The Merkle Tree Hash of each range, in order.</summary>
    public static async Task<IReadOnlyList<byte[]>> HashRangesAsync(IReadOnlyList<LeafRange> ranges, TileFetcher fetch, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        ArgumentNullException.ThrowIfNull(fetch);
        var subtrees = ranges.Select(r => r.PerfectSubtrees().ToList()).ToList();
        var needed = subtrees.SelectMany(s => s).Select(TileOf).Distinct().ToList();
        var tiles = needed.Count == 0 ? new Dictionary<(int, long), byte[]>() : await fetch(needed, ct).ConfigureAwait(false);
        var result = new List<byte[]>(ranges.Count);
        foreach (var pieces in subtrees)
        {
            byte[]? hash = null;
            for (var i = pieces.Count - 1; i >= 0; i--)
            {
                var piece = SubtreeHash(pieces[i], tiles);
                hash = hash is null ? piece : MerkleHash.Node(piece, hash);
            }
            result.Add(hash ?? throw new MerkleProofException("empty range in a proof"));
        }
        return result;
    }

    private static (int Level, long Index) TileOf((int Height, long Index) node) =>
        (node.Height / 8, (node.Index << (node.Height % 8)) / Tile.Width);

    private static byte[] SubtreeHash((int Height, long Index) node, IReadOnlyDictionary<(int Level, long Index), byte[]> tiles)
    {
        var tile = TileOf(node);
        var r = node.Height % 8;
        var count = 1 << r;
        var offset = (int)((node.Index << r) % Tile.Width);
        if (!tiles.TryGetValue(tile, out var hashes) || hashes.Length < (offset + count) * MerkleHash.Size)
            throw new MerkleProofException($"tile {tile.Level}/{tile.Index} is missing or too short for this tree");
        return MerkleHash.PerfectSubtree(hashes.AsSpan(offset * MerkleHash.Size, count * MerkleHash.Size), count);
    }
}
