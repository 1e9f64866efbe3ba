using Provenance.Ledger.Merkle;

namespace Provenance.Ledger.Tests.Merkle;

/// <summary>The tiled right edge and tile-based proofs against the recursive definitions, across tile boundaries.</summary>
public sealed class TiledTreeTests
{
    private static List<byte[]> Leaves(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var data = new byte[random.Next(0, 40)];
            random.NextBytes(data);
            return MerkleHash.Leaf(data);
        }).ToList();
    }

    [Fact]
    public void Root_AtEverySizeUpTo700_EqualsTheRecursiveDefinition()
    {
        var leaves = Leaves(700, 1);
        var tree = new TiledTree();
        for (var size = 1; size <= leaves.Count; size++)
        {
            tree.Append(leaves[size - 1]);
            Assert.Equal(ReferenceTree.Root(leaves, 0, size), tree.Root());
        }
    }

    [Fact]
    public void Root_OfATreeSpanningThreeTileLevels_EqualsTheRecursiveDefinition()
    {
        var leaves = Leaves(70_000, 2);
        var tree = new TiledTree();
        foreach (var leaf in leaves) tree.Append(leaf);
        Assert.Equal(ReferenceTree.Root(leaves, 0, leaves.Count), tree.Root());
        var tiles = tree.TakeChangedTiles();
        // tlog-tiles' own example: 273 full level-0 tiles, partial of 112, one full level-1 tile, partial of 17, partial level-2 of 1.
        Assert.Equal(273, tiles.Count(t => t.Level == 0 && t.IsFull));
        Assert.Equal(112, tiles.Single(t => t.Level == 0 && !t.IsFull).Count);
        Assert.Equal(1, tiles.Count(t => t.Level == 1 && t.IsFull));
        Assert.Equal(17, tiles.Single(t => t.Level == 1 && !t.IsFull).Count);
        Assert.Equal(1, tiles.Single(t => t.Level == 2).Count);
    }

    [Fact]
    public void Restore_FromPartialTiles_ContinuesWithTheSameRoots()
    {
        var leaves = Leaves(1_000, 3);
        var original = new TiledTree();
        var stored = new Dictionary<(int, long), byte[]>();
        foreach (var leaf in leaves.Take(600)) original.Append(leaf);
        foreach (var tile in original.TakeChangedTiles()) stored[(tile.Level, tile.Index)] = tile.Hashes;

        var partials = new Dictionary<int, byte[]>();
        for (var level = 0; level < 3; level++)
            if (stored.TryGetValue((level, (600L >> (8 * level)) / 256), out var hashes)) partials[level] = hashes;
        var restored = TiledTree.Restore(600, partials);

        Assert.Equal(original.Root(), restored.Root());
        foreach (var leaf in leaves.Skip(600)) { original.Append(leaf); restored.Append(leaf); }
        Assert.Equal(original.Root(), restored.Root());
        Assert.Equal(ReferenceTree.Root(leaves, 0, 1000), restored.Root());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(255)]
    [InlineData(256)]
    [InlineData(257)]
    [InlineData(513)]
    [InlineData(1000)]
    public async Task InclusionProofs_FromTiles_EqualTheRecursiveDefinitionAndVerify(int size)
    {
        var leaves = Leaves(size, size);
        var tiles = ReferenceTree.TilesOf(leaves);
        var root = ReferenceTree.Root(leaves, 0, size);
        foreach (var index in new[] { 0, size / 3, size / 2, size - 1 }.Distinct())
        {
            var proof = await TileHashReader.HashRangesAsync(MerkleProof.InclusionRanges(index, size), tiles, CancellationToken.None);
            Assert.Equal(ReferenceTree.Path(leaves, index, 0, size).Select(Convert.ToHexString), proof.Select(Convert.ToHexString));
            Assert.True(MerkleProof.VerifyInclusion(index, size, leaves[index], proof, root));
            if (proof.Count > 0)
                Assert.False(MerkleProof.VerifyInclusion(index, size, leaves[(index + 1) % size], proof, root));
        }
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(3, 7)]
    [InlineData(255, 256)]
    [InlineData(256, 257)]
    [InlineData(200, 1000)]
    [InlineData(512, 1000)]
    [InlineData(999, 1000)]
    public async Task ConsistencyProofs_FromTiles_EqualTheRecursiveDefinitionAndVerify(int size1, int size2)
    {
        var leaves = Leaves(size2, size1 * 31 + size2);
        var proof = await TileHashReader.HashRangesAsync(MerkleProof.ConsistencyRanges(size1, size2), ReferenceTree.TilesOf(leaves), CancellationToken.None);
        Assert.Equal(ReferenceTree.Consistency(leaves, size1, size2).Select(Convert.ToHexString), proof.Select(Convert.ToHexString));
        var root1 = ReferenceTree.Root(leaves, 0, size1);
        var root2 = ReferenceTree.Root(leaves, 0, size2);
        Assert.True(MerkleProof.VerifyConsistency(size1, size2, root1, root2, proof));
        Assert.False(MerkleProof.VerifyConsistency(size1, size2, root2, root1, proof));
    }

    [Theory]
    [InlineData(0L, "000")]
    [InlineData(7L, "007")]
    [InlineData(1000L, "x001/000")]
    [InlineData(1234067L, "x001/x234/067")]
    public void TileIndexPaths_RoundTripInCanonicalForm(long index, string path)
    {
        Assert.Equal(path, Tile.EncodeIndex(index));
        Assert.True(Tile.TryDecodeIndex(path, out var decoded));
        Assert.Equal(index, decoded);
    }

    [Theory]
    [InlineData("7")]
    [InlineData("x000/007")]
    [InlineData("001/234")]
    [InlineData("x1/234")]
    [InlineData("abc")]
    [InlineData("")]
    public void TileIndexPaths_NotInCanonicalForm_AreRejected(string path) => Assert.False(Tile.TryDecodeIndex(path, out _));
}
