using System.Text.Json;
using Provenance.Ledger.Merkle;

namespace Provenance.Ledger.Tests.Merkle;

/// <summary>The transparency-dev/merkle vectors (TestData/merkle, Apache-2.0) and reference roots.</summary>
public sealed class TestVectorTests
{
    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "TestData", "merkle");

    public static TheoryData<string> InclusionFiles() => Files("inclusion");
    public static TheoryData<string> ConsistencyFiles() => Files("consistency");

    private static TheoryData<string> Files(string kind) => new(VectorFiles(kind));

    private static List<string> VectorFiles(string kind) =>
        Directory.EnumerateFiles(Path.Combine(Root, kind), "*.json", SearchOption.AllDirectories).Order()
            .Select(file => Path.GetRelativePath(Root, file)).ToList();

    private static byte[] Bytes(JsonElement e) => e.ValueKind == JsonValueKind.String ? Convert.FromBase64String(e.GetString()!) : [];
    private static byte[][] Hashes(JsonElement e) => e.ValueKind == JsonValueKind.Array ? e.EnumerateArray().Select(Bytes).ToArray() : [];

    [Fact]
    public void TheVectorSet_IsComplete()
    {
        Assert.Equal(196, VectorFiles("inclusion").Count + VectorFiles("consistency").Count);
    }

    [Theory]
    [MemberData(nameof(InclusionFiles))]
    public void InclusionVector_VerifiesExactlyWhenExpected(string file)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, file)));
        var v = json.RootElement;
        // Indices are uint64 in the vectors; ours are signed 64-bit, so anything above long.MaxValue cannot verify.
        var ok = v.GetProperty("leafIdx").TryGetInt64(out var index) && v.GetProperty("treeSize").TryGetInt64(out var size)
            && MerkleProof.VerifyInclusion(index, size, Bytes(v.GetProperty("leafHash")), Hashes(v.GetProperty("proof")), Bytes(v.GetProperty("root")));
        Assert.Equal(!v.GetProperty("wantErr").GetBoolean(), ok);
    }

    [Theory]
    [MemberData(nameof(ConsistencyFiles))]
    public void ConsistencyVector_VerifiesExactlyWhenExpected(string file)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, file)));
        var v = json.RootElement;
        var ok = v.GetProperty("size1").TryGetInt64(out var size1) && v.GetProperty("size2").TryGetInt64(out var size2)
            && MerkleProof.VerifyConsistency(size1, size2, Bytes(v.GetProperty("root1")), Bytes(v.GetProperty("root2")), Hashes(v.GetProperty("proof")));
        Assert.Equal(!v.GetProperty("wantErr").GetBoolean(), ok);
    }

    [Fact]
    public async Task HappyPathVectors_AreExactlyTheProofsWeGenerate()
    {
        var leaves = ReferenceLeaves();
        var checkedCount = 0;
        foreach (var file in VectorFiles("inclusion").Where(f => f.EndsWith("happy-path.json", StringComparison.Ordinal)))
        {
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, file)));
            var v = json.RootElement;
            var size = v.GetProperty("treeSize").GetInt32();
            if (size > leaves.Count || !Bytes(v.GetProperty("root")).SequenceEqual(ReferenceTree.Root(leaves, 0, size))) continue;
            var proof = await TileHashReader.HashRangesAsync(MerkleProof.InclusionRanges(v.GetProperty("leafIdx").GetInt64(), size),
                ReferenceTree.TilesOf(leaves.Take(size)), CancellationToken.None);
            Assert.Equal(Hashes(v.GetProperty("proof")).Select(Convert.ToHexString), proof.Select(Convert.ToHexString));
            checkedCount++;
        }
        foreach (var file in VectorFiles("consistency").Where(f => f.EndsWith("happy-path.json", StringComparison.Ordinal)))
        {
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, file)));
            var v = json.RootElement;
            var size2 = v.GetProperty("size2").GetInt32();
            if (size2 > leaves.Count || !Bytes(v.GetProperty("root2")).SequenceEqual(ReferenceTree.Root(leaves, 0, size2))) continue;
            var proof = await TileHashReader.HashRangesAsync(MerkleProof.ConsistencyRanges(v.GetProperty("size1").GetInt64(), size2),
                ReferenceTree.TilesOf(leaves.Take(size2)), CancellationToken.None);
            Assert.Equal(Hashes(v.GetProperty("proof")).Select(Convert.ToHexString), proof.Select(Convert.ToHexString));
            checkedCount++;
        }
        Assert.True(checkedCount >= 5, $"only {checkedCount} happy-path vectors use the reference tree");
    }

    [Fact]
    public void ReferenceRoots_MatchTheTiledTreeAtEverySize()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "reference-roots.json")));
        var roots = json.RootElement.GetProperty("rootsBySizeHex").EnumerateArray().Select(e => e.GetString()).ToList();
        var tree = new TiledTree();
        Assert.Equal(roots[0], Convert.ToHexStringLower(tree.Root()));
        var leaves = ReferenceLeaves();
        for (var size = 1; size <= 8; size++)
        {
            tree.Append(leaves[size - 1]);
            Assert.Equal(roots[size], Convert.ToHexStringLower(tree.Root()));
        }
    }

    private static List<byte[]> ReferenceLeaves()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "reference-roots.json")));
        return json.RootElement.GetProperty("leafInputsHex").EnumerateArray()
            .Select(e => MerkleHash.Leaf(Convert.FromHexString(e.GetString()!))).ToList();
    }
}
