namespace Provenance.Ledger.Merkle;

/// <summary>
/// The right edge of a Merkle tree kept as tlog-tiles partial tiles, one per level: appending leaf hashes fills
/// the level-0 tile, a full tile's root moves up a level. Gives the root at the current size and the tiles
/// written since the last <see cref="TakeChangedTiles"/>. This is what the sequencer holds in memory.
/// </summary>
public sealed class TiledTree
{
    private const int MaxLevels = 8;
    private readonly byte[][] _partial = new byte[MaxLevels][];
    private readonly int[] _count = new int[MaxLevels];
    private readonly bool[] _changed = new bool[MaxLevels];
    private readonly List<Tile> _completed = [];

    public TiledTree()
    {
        for (var i = 0; i < MaxLevels; i++) _partial[i] = new byte[Tile.FullBytes];
    }

    /// <summary>Number of leaves.</summary>
    public long Size { get; private set; }

    /// <summary>Rebuilds the right edge of a tree of <paramref name="size"/> leaves from its partial tiles
    /// (<paramref name="partialTiles"/> must hold the tile of every level whose partial width is not zero).</summary>
    public static TiledTree Restore(long size, IReadOnlyDictionary<int, byte[]> partialTiles)
    {
        var tree = new TiledTree { Size = size };
        for (var level = 0; level < MaxLevels; level++)
        {
            var width = (int)((size >> (8 * level)) % Tile.Width);
            if (width == 0) continue;
            if (!partialTiles.TryGetValue(level, out var hashes) || hashes.Length < width * MerkleHash.Size)
                throw new MerkleProofException($"tile at level {level} for tree size {size} is missing or shorter than {width} hashes");
            hashes.AsSpan(0, width * MerkleHash.Size).CopyTo(tree._partial[level]);
            tree._count[level] = width;
        }
        return tree;
    }

    public void Append(ReadOnlySpan<byte> leafHash)
    {
        if (leafHash.Length != MerkleHash.Size) throw new ArgumentException("a leaf hash is 32 bytes", nameof(leafHash));
        Span<byte> hash = stackalloc byte[MerkleHash.Size];
        leafHash.CopyTo(hash);
        var level = 0;
        while (true)
        {
            if (level >= MaxLevels) throw new InvalidOperationException("the tree is full");
            hash.CopyTo(_partial[level].AsSpan(_count[level] * MerkleHash.Size));
            _count[level]++;
            _changed[level] = true;
            if (_count[level] < Tile.Width) break;
            // The tile is full: keep it, and its root becomes the next hash one level up.
            var index = ((Size >> (8 * level)) / Tile.Width);
            var full = _partial[level].ToArray();
            _completed.Add(new Tile(level, index, full));
            MerkleHash.PerfectSubtree(full, Tile.Width).CopyTo(hash);
            _count[level] = 0;
            _changed[level] = false;
            level++;
        }
        Size++;
    }

    /// <summary>The root hash at the current size (SHA-256("") when empty).</summary>
    public byte[] Root()
    {
        if (Size == 0) return MerkleHash.EmptyRoot();
        byte[]? root = null;
        // Perfect subtrees of the right edge, smallest first: bit h of Size set → a subtree of height h.
        for (var height = 0; height < 64; height++)
        {
            if (((Size >> height) & 1) == 0) continue;
            var level = height / 8;
            var r = height % 8;
            var count = 1 << r;
            // Its hashes are the last 2^r of the ones at this level below the higher subtrees.
            var end = (int)((Size >> (8 * level)) % Tile.Width) - (int)(((Size >> (8 * level)) % count));
            var hashes = _partial[level].AsSpan((end - count) * MerkleHash.Size, count * MerkleHash.Size);
            var subtree = MerkleHash.PerfectSubtree(hashes, count);
            root = root is null ? subtree : MerkleHash.Node(subtree, root);
        }
        return root!;
    }

    /// <summary>Tiles completed since the last call, then the current partial tiles that changed.</summary>
    public IReadOnlyList<Tile> TakeChangedTiles()
    {
        var tiles = new List<Tile>(_completed);
        _completed.Clear();
        for (var level = 0; level < MaxLevels; level++)
        {
            if (!_changed[level]) continue;
            _changed[level] = false;
            if (_count[level] == 0) continue;
            var index = (Size >> (8 * level)) / Tile.Width;
            tiles.Add(new Tile(level, index, _partial[level].AsSpan(0, _count[level] * MerkleHash.Size).ToArray()));
        }
        return tiles;
    }

    /// <summary>A copy of this tree's state (for a batch that may fail and must not disturb the committed state).</summary>
    public TiledTree Clone()
    {
        var copy = new TiledTree { Size = Size };
        for (var i = 0; i < MaxLevels; i++)
        {
            _partial[i].AsSpan(0, _count[i] * MerkleHash.Size).CopyTo(copy._partial[i]);
            copy._count[i] = _count[i];
        }
        return copy;
    }
}
