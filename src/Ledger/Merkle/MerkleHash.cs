using System.Numerics;
using System.Security.Cryptography;

namespace Provenance.Ledger.Merkle;

/// <summary>RFC 9162 section 2.1 hashing with SHA-256: empty tree, leaves (0x00 prefix) and interior nodes (0x01 prefix).</summary>
public static class MerkleHash
{
    public const int Size = 32;

    /// <summary>SHA-256 of the empty string: the root of the empty tree.</summary>
    public static byte[] EmptyRoot() => SHA256.HashData([]);

    public static byte[] Leaf(ReadOnlySpan<byte> data)
    {
        var hash = new byte[Size];
        Leaf(data, hash);
        return hash;
    }

    public static void Leaf(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        // One-shot hashing of 0x00 || data: far cheaper per leaf than an incremental hash object (entries are small).
        if (data.Length >= 1024)
        {
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            sha.AppendData([0x00]);
            sha.AppendData(data);
            sha.GetHashAndReset(destination);
            return;
        }
        Span<byte> input = stackalloc byte[1 + data.Length];
        input[0] = 0x00;
        data.CopyTo(input[1..]);
        SHA256.HashData(input, destination);
    }

    public static byte[] Node(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        var hash = new byte[Size];
        Node(left, right, hash);
        return hash;
    }

    public static void Node(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right, Span<byte> destination)
    {
        Span<byte> input = stackalloc byte[1 + 2 * Size];
        input[0] = 0x01;
        left.CopyTo(input[1..]);
        right.CopyTo(input[(1 + Size)..]);
        SHA256.HashData(input, destination);
    }

    /// <summary>The largest power of two strictly smaller than <paramref name="n"/> (n ≥ 2): RFC 9162's split point k.</summary>
    public static long SplitPoint(long n) => 1L << (63 - BitOperations.LeadingZeroCount((ulong)(n - 1)));

    /// <summary>Merkle Tree Hash of 2^height consecutive hashes (a perfect subtree), hashed level by level.</summary>
    public static byte[] PerfectSubtree(ReadOnlySpan<byte> hashes, int count)
    {
        if (count == 1) return hashes[..Size].ToArray();
        var level = hashes[..(count * Size)].ToArray();
        for (var width = count; width > 1; width /= 2)
            for (var i = 0; i < width / 2; i++)
                Node(level.AsSpan(2 * i * Size, Size), level.AsSpan((2 * i + 1) * Size, Size), level.AsSpan(i * Size, Size));
        return level[..Size];
    }
}
