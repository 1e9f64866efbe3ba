using Provenance.Ledger.Merkle;

namespace Provenance.Ledger.Tests.Merkle;

/// <summary>RFC 9162 written as its recursive definitions over a list of leaves: slow, obviously right, for comparison.</summary>
internal static class ReferenceTree
{
    public static byte[] Root(IReadOnlyList<byte[]> leafHashes, int start, int n)
    {
        if (n == 0) return MerkleHash.EmptyRoot();
        if (n == 1) return leafHashes[start];
        var k = (int)MerkleHash.SplitPoint(n);
        return MerkleHash.Node(Root(leafHashes, start, k), Root(leafHashes, start + k, n - k));
    }

    public static List<byte[]> Path(IReadOnlyList<byte[]> leaves, int m, int start, int n)
    {
        if (n == 1) return [];
        var k = (int)MerkleHash.SplitPoint(n);
        return m < k
            ? [.. Path(leaves, m, start, k), Root(leaves, start + k, n - k)]
            : [.. Path(leaves, m - k, start + k, n - k), Root(leaves, start, k)];
    }

    public static List<byte[]> Consistency(IReadOnlyList<byte[]> leaves, int m, int n)
    {
        if (m == 0 || m == n) return [];
        return SubProof(leaves, m, 0, n, true);
    }

    private static List<byte[]> SubProof(IReadOnlyList<byte[]> leaves, int m, int start, int n, bool b)
    {
        if (m == n) return b ? [] : [Root(leaves, start, n)];
        var k = (int)MerkleHash.SplitPoint(n);
        return m <= k
            ? [.. SubProof(leaves, m, start, k, b), Root(leaves, start + k, n - k)]
            : [.. SubProof(leaves, m - k, start + k, n - k, false), Root(leaves, start, k)];
    }

    /// <summary>Every tile of the tree (full and the final partial ones), as a fetcher for proof generation.</summary>
    public static TileFetcher TilesOf(IEnumerable<byte[]> leafHashes)
    {
        var tree = new TiledTree();
        var tiles = new Dictionary<(int, long), byte[]>();
        foreach (var leaf in leafHashes) tree.Append(leaf);
        foreach (var tile in tree.TakeChangedTiles()) tiles[(tile.Level, tile.Index)] = tile.Hashes;
        return (wanted, _) => Task.FromResult<IReadOnlyDictionary<(int Level, long Index), byte[]>>(
            wanted.Where(tiles.ContainsKey).ToDictionary(w => w, w => tiles[w]));
    }
}
