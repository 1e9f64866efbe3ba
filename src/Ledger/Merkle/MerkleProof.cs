namespace Provenance.Ledger.Merkle;

/// <summary>
/// RFC 9162 section 2.1.3 and 2.1.4: which subtree hashes make up inclusion and consistency proofs
/// (as ranges of leaves), and how to verify them. Verification never throws on hostile proofs: it returns false.
/// </summary>
public static class MerkleProof
{
    /// <summary>The leaf ranges whose Merkle Tree Hashes form the inclusion proof of <paramref name="index"/> in a tree of
    /// <paramref name="treeSize"/> leaves, from the leaf's sibling up to the root's child.</summary>
    public static IReadOnlyList<LeafRange> InclusionRanges(long index, long treeSize)
    {
        if (index < 0 || index >= treeSize) throw new MerkleProofException($"index {index} is outside a tree of size {treeSize}");
        var path = new List<LeafRange>();
        InclusionPath(index, 0, treeSize, path);
        return path;
    }

    private static void InclusionPath(long m, long start, long n, List<LeafRange> path)
    {
        if (n == 1) return;
        var k = MerkleHash.SplitPoint(n);
        if (m < k)
        {
            InclusionPath(m, start, k, path);
            path.Add(new LeafRange(start + k, start + n));
        }
        else
        {
            InclusionPath(m - k, start + k, n - k, path);
            path.Add(new LeafRange(start, start + k));
        }
    }

    /// <summary>The leaf ranges whose hashes form the consistency proof between sizes <paramref name="size1"/> and <paramref name="size2"/>.</summary>
    public static IReadOnlyList<LeafRange> ConsistencyRanges(long size1, long size2)
    {
        if (size1 < 0 || size2 < size1) throw new MerkleProofException($"no consistency proof from size {size1} to size {size2}");
        var proof = new List<LeafRange>();
        if (size1 == 0 || size1 == size2) return proof;
        SubProof(size1, 0, size2, true, proof);
        return proof;
    }

    private static void SubProof(long m, long start, long n, bool startsAtOldRoot, List<LeafRange> proof)
    {
        if (m == n)
        {
            if (!startsAtOldRoot) proof.Add(new LeafRange(start, start + n));
            return;
        }
        var k = MerkleHash.SplitPoint(n);
        if (m <= k)
        {
            SubProof(m, start, k, startsAtOldRoot, proof);
            proof.Add(new LeafRange(start + k, start + n));
        }
        else
        {
            SubProof(m - k, start + k, n - k, false, proof);
            proof.Add(new LeafRange(start, start + k));
        }
    }

    /// <summary>RFC 9162 2.1.3.2: true when <paramref name="proof"/> shows <paramref name="leafHash"/> at <paramref name="index"/> in the tree with <paramref name="root"/>.</summary>
    public static bool VerifyInclusion(long index, long treeSize, ReadOnlySpan<byte> leafHash, IReadOnlyList<byte[]> proof, ReadOnlySpan<byte> root)
    {
        if (index < 0 || index >= treeSize || leafHash.Length != MerkleHash.Size || root.Length != MerkleHash.Size) return false;
        if (proof.Any(p => p is null || p.Length != MerkleHash.Size)) return false;
        var fn = index;
        var sn = treeSize - 1;
        var r = leafHash.ToArray();
        foreach (var p in proof)
        {
            if (sn == 0) return false;
            if ((fn & 1) == 1 || fn == sn)
            {
                MerkleHash.Node(p, r, r);
                if ((fn & 1) == 0)
                    while ((fn & 1) == 0 && fn != 0) { fn >>= 1; sn >>= 1; }
            }
            else
            {
                MerkleHash.Node(r, p, r);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && r.AsSpan().SequenceEqual(root);
    }

    /// <summary>RFC 9162 2.1.4.2: true when <paramref name="proof"/> shows the tree (<paramref name="size1"/>, <paramref name="root1"/>)
    /// is a prefix of the tree (<paramref name="size2"/>, <paramref name="root2"/>).</summary>
    public static bool VerifyConsistency(long size1, long size2, ReadOnlySpan<byte> root1, ReadOnlySpan<byte> root2, IReadOnlyList<byte[]> proof)
    {
        // Like transparency-dev/merkle: there is nothing to verify from an empty tree (every tree extends it), so
        // a proof from size 0 is refused rather than accepted; callers treat size 0 as trivially consistent.
        if (size1 <= 0 || size2 < size1) return false;
        // Equal sizes: nothing to prove beyond equal roots (as RFC 9162 2.1.4.2 step 1 says).
        if (size1 == size2) return proof.Count == 0 && root1.SequenceEqual(root2);
        if (root1.Length != MerkleHash.Size || root2.Length != MerkleHash.Size) return false;
        if (proof.Any(p => p is null || p.Length != MerkleHash.Size)) return false;
        if (proof.Count == 0) return false;

        var path = new List<byte[]>(proof.Count + 1);
        if (IsPowerOfTwo(size1)) path.Add(root1.ToArray());
        path.AddRange(proof);
        var fn = size1 - 1;
        var sn = size2 - 1;
        while ((fn & 1) == 1) { fn >>= 1; sn >>= 1; }
        var fr = path[0].ToArray();
        var sr = path[0].ToArray();
        for (var i = 1; i < path.Count; i++)
        {
            var c = path[i];
            if (sn == 0) return false;
            if ((fn & 1) == 1 || fn == sn)
            {
                MerkleHash.Node(c, fr, fr);
                MerkleHash.Node(c, sr, sr);
                if ((fn & 1) == 0)
                    while ((fn & 1) == 0 && fn != 0) { fn >>= 1; sn >>= 1; }
            }
            else
            {
                MerkleHash.Node(sr, c, sr);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && fr.AsSpan().SequenceEqual(root1) && sr.AsSpan().SequenceEqual(root2);
    }

    private static bool IsPowerOfTwo(long n) => n > 0 && (n & (n - 1)) == 0;
}

/// <summary>Leaves [Start, End) of the tree; its hash is the Merkle Tree Hash of those leaves.</summary>
public readonly record struct LeafRange(long Start, long End)
{
    public long Count => End - Start;

    /// <summary>The perfect subtrees (height, index at that height) that make up this range, left to right.
    /// Valid for the ranges proofs use, whose start is aligned to the largest power of two not above their size.</summary>
    public IEnumerable<(int Height, long Index)> PerfectSubtrees()
    {
        var start = Start;
        var remaining = Count;
        while (remaining > 0)
        {
            var height = 63 - System.Numerics.BitOperations.LeadingZeroCount((ulong)remaining);
            var size = 1L << height;
            // Keep each piece aligned: a start that is not a multiple of the size forces a smaller piece.
            while ((start & (size - 1)) != 0) { height--; size >>= 1; }
            yield return (height, start >> height);
            start += size;
            remaining -= size;
        }
    }
}
