using System.Security.Cryptography;
using Provenance.Ledger.Log;
using Provenance.Ledger.Notes;

namespace Provenance.Ledger.Tests.Log;

/// <summary>Entries with distinct, deterministic content.</summary>
internal static class TestEntries
{
    public static LedgerEntry Make(int n, params ulong[] fingerprints) => new()
    {
        AssetId = 0x1000_0000_0000_0000UL + (ulong)n,
        ManifestHash = SHA256.HashData(BitConverter.GetBytes(n)),
        ClaimSignatureHash = SHA256.HashData(BitConverter.GetBytes(n + 1_000_000)),
        SignerCertificateFingerprint = SHA256.HashData("signer"u8),
        WatermarkPayload = 0xABCD_0000_0000_0000UL + (ulong)n,
        PerceptualFingerprints = fingerprints,
        GeneratorId = "test/generator-1",
    };

    public static LedgerOptions FastOptions() => new()
    {
        Origin = "test.local/ledger",
        CheckpointInterval = TimeSpan.FromMilliseconds(50),
        BatchLinger = TimeSpan.FromMilliseconds(2),
    };

    public static CheckpointKeys Keys(TempDirectory temp) => CheckpointKeys.LoadOrCreate(temp.Combine("keys"), "test.local/ledger");
}
