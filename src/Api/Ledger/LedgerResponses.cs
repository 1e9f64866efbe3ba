using Provenance.Ledger.Log;

namespace Provenance.Api.Ledger;

/// <summary>An entry as the JSON API returns it, with its inclusion proof and tlog-proof receipt when a checkpoint covers it.</summary>
public sealed record LedgerEntryResponse(
    long Index,
    string AssetId,
    string ManifestHash,
    string ClaimSignatureHash,
    string SignerCertificateFingerprint,
    string WatermarkPayload,
    IReadOnlyList<string> PerceptualFingerprints,
    string GeneratorId,
    DateTimeOffset IntegratedTime,
    string LeafHash,
    InclusionProofResponse? InclusionProof,
    string? Receipt,
    int? FingerprintDistance = null)
{
    public static LedgerEntryResponse From(LoggedEntry logged, LedgerReceipt? receipt, long? checkpointSize, byte[]? rootHash, int? distance = null)
    {
        var e = logged.Entry;
        return new LedgerEntryResponse(
            logged.Index,
            LedgerEntry.FormatId(e.AssetId),
            Convert.ToHexStringLower(e.ManifestHash),
            Convert.ToHexStringLower(e.ClaimSignatureHash),
            Convert.ToHexStringLower(e.SignerCertificateFingerprint),
            LedgerEntry.FormatId(e.WatermarkPayload),
            e.PerceptualFingerprints.Select(LedgerEntry.FormatId).ToList(),
            e.GeneratorId,
            logged.IntegratedTime,
            Convert.ToBase64String(logged.LeafHash),
            receipt is null ? null : new InclusionProofResponse(checkpointSize!.Value, Convert.ToBase64String(rootHash!),
                receipt.InclusionProof.Select(Convert.ToBase64String).ToList(), receipt.SignedCheckpoint),
            receipt?.ToTlogProof(),
            distance);
    }
}

public sealed record InclusionProofResponse(long TreeSize, string RootHash, IReadOnlyList<string> Hashes, string Checkpoint);

public sealed record ConsistencyProofResponse(long From, long To, string FromRoot, string ToRoot, IReadOnlyList<string> Hashes);

public sealed record LedgerKeysResponse(string Origin, IReadOnlyList<string> VerifierKeys);
