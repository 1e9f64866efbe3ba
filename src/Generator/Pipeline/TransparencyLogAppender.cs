using System.Globalization;
using Provenance.Ledger.Log;

namespace Provenance.Generator.Pipeline;

/// <summary>
/// The stamping pipeline's ledger: appends to the PostgreSQL transparency log and turns its receipt (index, entry
/// data, inclusion proof, signed checkpoint) into the clip's receipt fields.
/// </summary>
public sealed class TransparencyLogAppender(TransparencyLog log, string generatorId) : ILedgerAppender
{
    public async Task<LedgerReceipt> AppendAsync(LedgerEntry entry, CancellationToken cancellationToken)
    {
        var assetId = ulong.Parse(entry.AssetId, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var logged = new Provenance.Ledger.Log.LedgerEntry
        {
            AssetId = assetId,
            ManifestHash = Convert.FromHexString(entry.ManifestHash),
            ClaimSignatureHash = Convert.FromHexString(entry.ClaimSignatureHash),
            SignerCertificateFingerprint = Convert.FromHexString(entry.SignerCertificateSha256),
            WatermarkPayload = assetId,
            PerceptualFingerprints = entry.Fingerprints.Take(Provenance.Ledger.Log.LedgerEntry.MaxFingerprints).ToList(),
            GeneratorId = $"{generatorId}/{entry.Backend}",
        };
        var receipt = await log.AppendAsync(logged, cancellationToken).ConfigureAwait(false);
        return new LedgerReceipt(receipt.Index, receipt.InclusionProof.Select(Convert.ToBase64String).ToList(),
            receipt.SignedCheckpoint, receipt.ToTlogProof());
    }
}
