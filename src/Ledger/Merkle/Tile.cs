using System.Globalization;
using System.Text;

namespace Provenance.Ledger.Merkle;

/// <summary>A C2SP tlog-tiles tile: up to 256 consecutive hashes at tree height 8 × <see cref="Level"/>.</summary>
public sealed record Tile(int Level, long Index, byte[] Hashes)
{
    public const int Width = 256;
    public const int FullBytes = Width * MerkleHash.Size;

    /// <summary>Number of hashes (1..256).</summary>
    public int Count => Hashes.Length / MerkleHash.Size;

    public bool IsFull => Count == Width;

    public ReadOnlySpan<byte> HashAt(int position) => Hashes.AsSpan(position * MerkleHash.Size, MerkleHash.Size);

    /// <summary>The width of the tile at (level, index) in a tree of <paramref name="treeSize"/> leaves: 256 when full,
    /// 1..255 when partial, 0 when the tree does not reach it.</summary>
    public static int WidthAt(int level, long index, long treeSize)
    {
        var hashesAtLevel = level * 8 >= 63 ? 0 : treeSize >> (8 * level);
        var before = index * Width;
        if (hashesAtLevel <= before) return 0;
        return (int)Math.Min(Width, hashesAtLevel - before);
    }

    /// <summary>The tlog-tiles path of a tile index: zero-padded 3-digit groups, all but the last prefixed with 'x'
    /// (1234067 → x001/x234/067).</summary>
    public static string EncodeIndex(long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var groups = new List<string>();
        do
        {
            groups.Add((index % 1000).ToString("D3", CultureInfo.InvariantCulture));
            index /= 1000;
        } while (index > 0);
        groups.Reverse();
        var path = new StringBuilder();
        for (var i = 0; i < groups.Count; i++)
        {
            if (i > 0) path.Append('/');
            if (i < groups.Count - 1) path.Append('x');
            path.Append(groups[i]);
        }
        return path.ToString();
    }

    /// <summary>Parses the index part of a tile path (<c>x001/x234/067</c>); false for anything not in canonical form.</summary>
    public static bool TryDecodeIndex(string path, out long index)
    {
        index = 0;
        var parts = path.Split('/');
        if (parts.Length is 0 or > 7) return false;
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            var last = i == parts.Length - 1;
            if (!last && (part.Length != 4 || part[0] != 'x')) return false;
            if (last && part.Length != 3) return false;
            var digits = last ? part : part[1..];
            if (!digits.All(char.IsAsciiDigit)) return false;
            index = index * 1000 + int.Parse(digits, CultureInfo.InvariantCulture);
        }
        // Canonical form only: no leading zero groups.
        return EncodeIndex(index) == path;
    }
}
