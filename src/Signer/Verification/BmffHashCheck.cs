using System.Buffers.Binary;
using System.Security.Cryptography;
using Provenance.Formats.Cbor;
using Provenance.Formats.Bmff;

namespace Provenance.Signer.Verification;

/// <summary>The bytes of a BMFF hash assertion cannot be used (unknown algorithm, bad exclusion, Merkle-only).</summary>
internal sealed class BmffHashAssertionException(string message) : Exception(message);

/// <summary>
/// Recomputes a <c>c2pa.hash.bmff</c> (v1) / <c>.v2</c> / <c>.v3</c> hash over a file, streaming: every top-level
/// box that is not wholly excluded contributes (v2 and later) its 8-byte big-endian offset, then its bytes
/// minus excluded subsets.
/// </summary>
internal static class BmffHashCheck
{
    private const int BufferSize = 1 << 20;

    public sealed record Exclusion(string XPath, long? Length, IReadOnlyList<(long Offset, byte[] Value)> Data, IReadOnlyList<(long Offset, long Length)> Subsets);

    public sealed record Assertion(string Alg, byte[]? Hash, IReadOnlyList<Exclusion> Exclusions, bool HasMerkle);

    public static Assertion Parse(CborValue content, string defaultAlg)
    {
        try
        {
            var map = content.AsMap();
            var alg = map.GetValueOrDefault("alg")?.AsText() ?? defaultAlg;
            var hash = map.GetValueOrDefault("hash")?.AsBytes();
            var exclusions = new List<Exclusion>();
            if (map.GetValueOrDefault("exclusions") is { } list)
            {
                foreach (var item in list.AsArray())
                {
                    var e = item.AsMap();
                    var xpath = (e.GetValueOrDefault("xpath") ?? throw new BmffHashAssertionException("exclusion without xpath")).AsText();
                    var data = new List<(long, byte[])>();
                    if (e.GetValueOrDefault("data") is { } d)
                        foreach (var dm in d.AsArray())
                            data.Add((dm.AsMap()["offset"].AsInt64(), dm.AsMap()["value"].AsBytes()));
                    var subsets = new List<(long, long)>();
                    if (e.GetValueOrDefault("subset") is { } s)
                        foreach (var sm in s.AsArray())
                            subsets.Add((sm.AsMap()["offset"].AsInt64(), sm.AsMap()["length"].AsInt64()));
                    exclusions.Add(new Exclusion(xpath, e.GetValueOrDefault("length")?.AsInt64(), data, subsets));
                }
            }
            return new Assertion(alg, hash, exclusions, map.ContainsKey("merkle"));
        }
        catch (Exception e) when (e is CborException or KeyNotFoundException)
        {
            throw new BmffHashAssertionException($"BMFF hash assertion is malformed: {e.Message}");
        }
    }

    public static async Task<byte[]> ComputeAsync(Stream file, IReadOnlyList<BmffBoxHeader> boxes, Assertion assertion, bool withOffsets,
        CancellationToken cancellationToken)
    {
        var hashName = assertion.Alg switch
        {
            "sha256" => HashAlgorithmName.SHA256,
            "sha384" => HashAlgorithmName.SHA384,
            "sha512" => HashAlgorithmName.SHA512,
            _ => throw new BmffHashAssertionException($"unsupported hash algorithm '{assertion.Alg}'"),
        };
        var whole = new HashSet<BmffBoxHeader>();
        var ranges = new List<(long Start, long Length)>();
        foreach (var exclusion in assertion.Exclusions)
        {
            var segments = exclusion.XPath.Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (segments.Length != 1) continue; // only top-level exclusions are supported
            foreach (var box in boxes.Where(b => b.Type == segments[0]))
            {
                if (exclusion.Length is { } len && len != box.Size) continue;
                if (!await DataMatchesAsync(file, box, exclusion.Data, cancellationToken).ConfigureAwait(false)) continue;
                if (exclusion.Subsets.Count == 0)
                {
                    whole.Add(box);
                    continue;
                }
                foreach (var (offset, length) in exclusion.Subsets)
                {
                    if (offset < 0 || length < 0 || offset > box.Size) continue;
                    ranges.Add((box.Offset + offset, length == 0 ? box.Size - offset : Math.Min(length, box.Size - offset)));
                }
            }
        }

        using var hash = IncrementalHash.CreateHash(hashName);
        var buffer = new byte[BufferSize];
        var offsetBytes = new byte[8];
        foreach (var box in boxes)
        {
            if (whole.Contains(box)) continue;
            if (withOffsets)
            {
                BinaryPrimitives.WriteInt64BigEndian(offsetBytes, box.Offset);
                hash.AppendData(offsetBytes);
            }
            long at = box.Offset;
            foreach (var (start, length) in ranges.Where(r => r.Start < box.End && r.Start + r.Length > box.Offset).OrderBy(r => r.Start))
            {
                if (start > at) await HashRangeAsync(file, at, start - at, hash, buffer, cancellationToken).ConfigureAwait(false);
                at = Math.Max(at, start + length);
            }
            if (box.End > at) await HashRangeAsync(file, at, box.End - at, hash, buffer, cancellationToken).ConfigureAwait(false);
        }
        return hash.GetHashAndReset();
    }

    private static async Task<bool> DataMatchesAsync(Stream file, BmffBoxHeader box, IReadOnlyList<(long Offset, byte[] Value)> data, CancellationToken ct)
    {
        foreach (var (offset, value) in data)
        {
            if (offset < 0 || offset + value.Length > box.Size || value.Length > 4096) return false;
            var actual = new byte[value.Length];
            file.Position = box.Offset + offset;
            await file.ReadExactlyAsync(actual, ct).ConfigureAwait(false);
            if (!actual.AsSpan().SequenceEqual(value)) return false;
        }
        return true;
    }

    private static async Task HashRangeAsync(Stream file, long start, long length, IncrementalHash hash, byte[] buffer, CancellationToken ct)
    {
        file.Position = start;
        while (length > 0)
        {
            int want = (int)Math.Min(buffer.Length, length);
            await file.ReadExactlyAsync(buffer.AsMemory(0, want), ct).ConfigureAwait(false);
            hash.AppendData(buffer, 0, want);
            length -= want;
        }
    }
}
