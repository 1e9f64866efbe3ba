using Provenance.Detector.Reports;
using Provenance.Ledger.Log;
using Provenance.Watermark;

namespace Provenance.Detector.Scanning;

/// <summary>
/// The transparency ledger as a scan stage: records whose watermark payload equals the one extracted, each with an
/// inclusion receipt against the newest published checkpoint (index, tree size, proof hashes, signed note).
/// </summary>
public sealed class LedgerLookup(LedgerReader reader) : ILedgerLookup
{
    /// <summary>Most records reported per lookup.</summary>
    public const int MaxMatches = 16;

    public async Task<LedgerSection> LookupAsync(WatermarkSection watermark, CredentialsSection credentials, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(watermark);
        if (!watermark.Found || !WatermarkPayload.TryParseHex(watermark.Payload, out var payload))
        {
            return new LedgerSection { Status = CheckStatus.Checked, Reason = "no watermark payload to look up" };
        }
        var entries = await reader.FindByWatermarkPayloadAsync(payload, cancellationToken).ConfigureAwait(false);
        var latest = await reader.GetLatestCheckpointAsync(cancellationToken).ConfigureAwait(false);
        var matches = new List<LedgerMatch>();
        foreach (var logged in entries.Take(MaxMatches))
        {
            matches.Add(new LedgerMatch
            {
                AssetId = LedgerEntry.FormatId(logged.Entry.AssetId),
                MatchedBy = "watermark",
                CreatedAt = logged.IntegratedTime,
                Generator = logged.Entry.GeneratorId,
                Receipt = await ReceiptAsync(logged, latest, cancellationToken).ConfigureAwait(false),
            });
        }
        return new LedgerSection { Status = CheckStatus.Checked, Matches = matches };
    }

    private async Task<Reports.LedgerReceipt?> ReceiptAsync(LoggedEntry logged, SignedCheckpoint? latest, CancellationToken ct)
    {
        if (latest is null || logged.Index >= latest.Checkpoint.Size)
        {
            // Sequenced but not yet covered by a published checkpoint: the index alone.
            return new Reports.LedgerReceipt { Index = logged.Index };
        }
        var proof = await reader.GetInclusionProofAsync(logged.Index, latest.Checkpoint.Size, ct).ConfigureAwait(false);
        return new Reports.LedgerReceipt
        {
            Index = logged.Index,
            TreeSize = latest.Checkpoint.Size,
            InclusionProof = proof.Select(Convert.ToHexStringLower).ToList(),
            Checkpoint = latest.Note,
        };
    }
}
