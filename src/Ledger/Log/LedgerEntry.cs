using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Provenance.Ledger.Log;

/// <summary>
/// What the ledger records about one stamped clip. No personal data: identifiers and hashes only.
/// Hashes are SHA-256 (32 bytes); the asset id and watermark payload are 64-bit values written as 16 lowercase hex digits.
/// </summary>
public sealed record LedgerEntry
{
    public const int MaxFingerprints = 64;
    public const int MaxGeneratorIdBytes = 64;

    public required ulong AssetId { get; init; }
    /// <summary>SHA-256 of the C2PA manifest (the manifest store's active manifest).</summary>
    public required byte[] ManifestHash { get; init; }
    /// <summary>SHA-256 of the claim signature (COSE_Sign1 bytes).</summary>
    public required byte[] ClaimSignatureHash { get; init; }
    /// <summary>SHA-256 of the signer certificate (DER).</summary>
    public required byte[] SignerCertificateFingerprint { get; init; }
    public required ulong WatermarkPayload { get; init; }
    /// <summary>64-bit perceptual fingerprints of the clip (the generator records one per second).</summary>
    public IReadOnlyList<ulong> PerceptualFingerprints { get; init; } = [];
    /// <summary>Which generation backend and model made the clip (ASCII letters, digits and <c>._:/-</c>).</summary>
    public required string GeneratorId { get; init; }

    /// <exception cref="ArgumentException">a field is missing or out of bounds.</exception>
    public void Validate()
    {
        CheckHash(ManifestHash, nameof(ManifestHash));
        CheckHash(ClaimSignatureHash, nameof(ClaimSignatureHash));
        CheckHash(SignerCertificateFingerprint, nameof(SignerCertificateFingerprint));
        ArgumentNullException.ThrowIfNull(PerceptualFingerprints);
        if (PerceptualFingerprints.Count > MaxFingerprints)
            throw new ArgumentException($"at most {MaxFingerprints} perceptual fingerprints", nameof(PerceptualFingerprints));
        if (string.IsNullOrEmpty(GeneratorId) || GeneratorId.Length > MaxGeneratorIdBytes
            || !GeneratorId.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '/' or '-'))
            throw new ArgumentException("generator id must be 1-64 characters of ASCII letters, digits and ._:/-", nameof(GeneratorId));
    }

    private static void CheckHash(byte[]? hash, string name)
    {
        if (hash is null || hash.Length != 32) throw new ArgumentException($"{name} must be a 32-byte SHA-256", name);
    }

    public static string FormatId(ulong value) => value.ToString("x16", CultureInfo.InvariantCulture);

    /// <summary>Parses exactly 16 lowercase hex digits.</summary>
    public static bool TryParseId(string? text, out ulong value)
    {
        value = 0;
        return text is { Length: 16 } && text.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f')
            && ulong.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }
}

/// <summary>An entry as the log holds it: its index, integration time, leaf bytes and leaf hash.</summary>
public sealed record LoggedEntry(long Index, LedgerEntry Entry, DateTimeOffset IntegratedTime, byte[] Data)
{
    public byte[] LeafHash => Merkle.MerkleHash.Leaf(Data);
}

/// <summary>A log entry's bytes could not be decoded.</summary>
public sealed class LedgerEntryFormatException(string message) : Exception(message);

/// <summary>
/// The leaf bytes of an entry (version 1, big-endian): 0x01, asset id u64, manifest hash 32, claim signature hash 32,
/// signer certificate fingerprint 32, watermark payload u64, integrated time (Unix ms) i64, generator id (u8 length +
/// ASCII), fingerprint count u8 + u64 each. The Merkle leaf hash is SHA-256(0x00 || bytes).
/// </summary>
public static class LedgerEntryCodec
{
    public const byte Version = 1;
    /// <summary>Byte offsets of the big-endian asset id and watermark payload (lookups match them in unindexed entries).</summary>
    public const int AssetIdOffset = 1, WatermarkPayloadOffset = 105;
    private const int FixedSize = 1 + 8 + 32 * 3 + 8 + 8;

    public static byte[] Encode(LedgerEntry entry, DateTimeOffset integratedTime)
    {
        entry.Validate();
        var generator = Encoding.ASCII.GetBytes(entry.GeneratorId);
        var bytes = new byte[FixedSize + 1 + generator.Length + 1 + 8 * entry.PerceptualFingerprints.Count];
        var span = bytes.AsSpan();
        span[0] = Version;
        BinaryPrimitives.WriteUInt64BigEndian(span[1..], entry.AssetId);
        entry.ManifestHash.CopyTo(span[9..]);
        entry.ClaimSignatureHash.CopyTo(span[41..]);
        entry.SignerCertificateFingerprint.CopyTo(span[73..]);
        BinaryPrimitives.WriteUInt64BigEndian(span[105..], entry.WatermarkPayload);
        BinaryPrimitives.WriteInt64BigEndian(span[113..], integratedTime.ToUnixTimeMilliseconds());
        var at = FixedSize;
        span[at++] = (byte)generator.Length;
        generator.CopyTo(span[at..]);
        at += generator.Length;
        span[at++] = (byte)entry.PerceptualFingerprints.Count;
        foreach (var fingerprint in entry.PerceptualFingerprints)
        {
            BinaryPrimitives.WriteUInt64BigEndian(span[at..], fingerprint);
            at += 8;
        }
        return bytes;
    }

    /// <exception cref="LedgerEntryFormatException">not a version-1 entry, truncated, or trailing bytes.</exception>
    public static (LedgerEntry Entry, DateTimeOffset IntegratedTime) Decode(ReadOnlySpan<byte> data)
    {
        if (data.Length < FixedSize + 2) throw new LedgerEntryFormatException("entry is truncated");
        if (data[0] != Version) throw new LedgerEntryFormatException($"entry version {data[0]} is not {Version}");
        var at = FixedSize;
        int generatorLength = data[at++];
        if (generatorLength is 0 or > LedgerEntry.MaxGeneratorIdBytes || data.Length < at + generatorLength + 1)
            throw new LedgerEntryFormatException("entry generator id is empty, too long or truncated");
        var generator = Encoding.ASCII.GetString(data.Slice(at, generatorLength));
        at += generatorLength;
        int count = data[at++];
        if (count > LedgerEntry.MaxFingerprints || data.Length != at + 8 * count)
            throw new LedgerEntryFormatException("entry fingerprints are truncated or followed by trailing bytes");
        var fingerprints = new ulong[count];
        for (var i = 0; i < count; i++) fingerprints[i] = BinaryPrimitives.ReadUInt64BigEndian(data[(at + 8 * i)..]);
        var entry = new LedgerEntry
        {
            AssetId = BinaryPrimitives.ReadUInt64BigEndian(data[1..]),
            ManifestHash = data.Slice(9, 32).ToArray(),
            ClaimSignatureHash = data.Slice(41, 32).ToArray(),
            SignerCertificateFingerprint = data.Slice(73, 32).ToArray(),
            WatermarkPayload = BinaryPrimitives.ReadUInt64BigEndian(data[105..]),
            PerceptualFingerprints = fingerprints,
            GeneratorId = generator,
        };
        try { entry.Validate(); }
        catch (ArgumentException e) { throw new LedgerEntryFormatException(e.Message); }
        var millis = BinaryPrimitives.ReadInt64BigEndian(data[113..]);
        if (millis < 0 || millis > 253402300799999) throw new LedgerEntryFormatException("entry integrated time is out of range");
        return (entry, DateTimeOffset.FromUnixTimeMilliseconds(millis));
    }
}
