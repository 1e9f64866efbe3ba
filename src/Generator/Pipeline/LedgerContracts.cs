namespace Provenance.Generator.Pipeline;

/// <summary>What the stamping pipeline records in the transparency ledger for one released clip.</summary>
/// <param name="AssetId">16 lowercase hex digits: the watermark payload.</param>
/// <param name="ManifestHash">SHA-256 of the embedded C2PA manifest store (lowercase hex).</param>
/// <param name="ManifestLabel">The active manifest's label (<c>urn:c2pa:…</c>).</param>
/// <param name="Fingerprints">Perceptual hashes of sampled frames of the encoded clip.</param>
/// <param name="ClaimSignatureHash">SHA-256 of the manifest's COSE claim signature (lowercase hex).</param>
/// <param name="SignerCertificateSha256">SHA-256 of the signing certificate's DER (lowercase hex).</param>
public sealed record LedgerEntry(
    string AssetId,
    string ManifestHash,
    string ManifestLabel,
    IReadOnlyList<ulong> Fingerprints,
    string Backend,
    string Device,
    DateTimeOffset CreatedAt,
    string ClaimSignatureHash,
    string SignerCertificateSha256);

/// <summary>
/// Proof that an entry is in the log (the C2SP tlog-proof shape): its index, the inclusion proof hashes
/// (base64) and the signed checkpoint the proof leads to, verifiable offline.
/// </summary>
/// <param name="TlogProof">The whole receipt in C2SP tlog-proof form (entry data included), when the log gives one.</param>
public sealed record LedgerReceipt(long Index, IReadOnlyList<string> InclusionProof, string Checkpoint, string? TlogProof = null);

/// <summary>
/// Appends entries to the transparency ledger and returns their receipts. The pipeline calls it once per
/// clip, after everything else succeeded and just before the clip is released.
/// </summary>
public interface ILedgerAppender
{
    Task<LedgerReceipt> AppendAsync(LedgerEntry entry, CancellationToken cancellationToken);
}
