using System.Security.Cryptography;
using System.Text;
using Provenance.Generator.Pipeline;

namespace Provenance.Generator.Tests.Pipeline;

/// <summary>
/// An in-process RFC 9162 transparency log for pipeline tests: leaves are SHA-256(0x00 || entry), the
/// checkpoint is a signed note (origin, size, base64 root) with an ECDSA P-256 signature, and receipts carry
/// real inclusion proofs, so they can be verified offline with <see cref="VerifyReceipt"/>.
/// </summary>
internal sealed class TestTransparencyLog : ILedgerAppender
{
    public const string Origin = "provenance.test/log";
    private readonly List<byte[]> _leaves = [];
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public IReadOnlyList<LedgerEntry> Entries => _entries;

    private readonly List<LedgerEntry> _entries = [];

    public byte[] PublicKey => _key.ExportSubjectPublicKeyInfo();

    public Task<LedgerReceipt> AppendAsync(LedgerEntry entry, CancellationToken cancellationToken)
    {
        lock (_leaves)
        {
            var data = Encoding.UTF8.GetBytes($"{entry.AssetId}\n{entry.ManifestHash}");
            _leaves.Add(LeafHash(data));
            _entries.Add(entry);
            var index = _leaves.Count - 1;
            var proof = new List<byte[]>();
            Path(index, 0, _leaves.Count, proof);
            var root = Root(0, _leaves.Count);
            var body = $"{Origin}\n{_leaves.Count}\n{Convert.ToBase64String(root)}\n";
            var signature = _key.SignData(Encoding.UTF8.GetBytes(body), HashAlgorithmName.SHA256);
            var checkpoint = body + "\n— " + Origin + " " + Convert.ToBase64String(signature) + "\n";
            return Task.FromResult(new LedgerReceipt(index, proof.Select(Convert.ToBase64String).ToList(), checkpoint));
        }
    }

    /// <summary>Offline check: the checkpoint's signature, and the inclusion proof of (asset id, manifest hash) against its root.</summary>
    public static bool VerifyReceipt(string assetId, string manifestHash, long index, IReadOnlyList<string> proof, string checkpoint, byte[] publicKey)
    {
        var parts = checkpoint.Split("\n\n", 2);
        var body = parts[0] + "\n";
        var lines = parts[0].Split('\n');
        var size = long.Parse(lines[1], System.Globalization.CultureInfo.InvariantCulture);
        var root = Convert.FromBase64String(lines[2]);
        var signature = Convert.FromBase64String(parts[1].Trim().Split(' ')[^1]);
        using var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(publicKey, out _);
        if (!key.VerifyData(Encoding.UTF8.GetBytes(body), signature, HashAlgorithmName.SHA256))
        {
            return false;
        }
        // RFC 9162 section 2.1.3.2.
        var hash = LeafHash(Encoding.UTF8.GetBytes($"{assetId}\n{manifestHash}"));
        if (index >= size)
        {
            return false;
        }
        long fn = index, sn = size - 1;
        foreach (var p in proof.Select(Convert.FromBase64String))
        {
            if (sn == 0)
            {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn)
            {
                hash = NodeHash(p, hash);
                if ((fn & 1) == 0)
                {
                    while ((fn & 1) == 0 && fn != 0)
                    {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            }
            else
            {
                hash = NodeHash(hash, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && hash.AsSpan().SequenceEqual(root);
    }

    private byte[] Root(int start, int end)
    {
        if (end - start == 1)
        {
            return _leaves[start];
        }
        var k = Split(end - start);
        return NodeHash(Root(start, start + k), Root(start + k, end));
    }

    private void Path(int index, int start, int end, List<byte[]> proof)
    {
        if (end - start <= 1)
        {
            return;
        }
        var k = Split(end - start);
        if (index < start + k)
        {
            Path(index, start, start + k, proof);
            proof.Add(Root(start + k, end));
        }
        else
        {
            Path(index, start + k, end, proof);
            proof.Add(Root(start, start + k));
        }
    }

    private static int Split(int n)
    {
        var k = 1;
        while (k * 2 < n)
        {
            k *= 2;
        }
        return k;
    }

    private static byte[] LeafHash(byte[] data) => SHA256.HashData([0, .. data]);

    private static byte[] NodeHash(byte[] left, byte[] right) => SHA256.HashData([1, .. left, .. right]);
}
