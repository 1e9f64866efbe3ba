using Provenance.Detector.Reports;
using Provenance.Ledger.Log;
using Provenance.Watermark;

namespace Provenance.Detector.Scanning;

/// <summary>
/// The transparency ledger as a scan stage: records whose watermark payload equals the one extracted, and the record
/// whose manifest hash equals the hash of the file's embedded manifest store (when it has Content Credentials), each
/// with an inclusion receipt against the newest published checkpoint (index, tree size, proof hashes, signed note).
/// </summary>
public sealed class LedgerLookup(LedgerReader reader) : ILedgerLookup
{
    /// <summary>Most records reported per lookup.</summary>
    public const int MaxMatches = 16;

    public async Task<LedgerSection> LookupAsync(WatermarkSection watermark, CredentialsSection credentials, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(watermark);
        ArgumentNullException.ThrowIfNull(credentials);
        ulong? payload = watermark.Found && WatermarkPayload.TryParseHex(watermark.Payload, out var parsed) ? parsed : null;
        var manifestHash = ParseHash(credentials.ManifestHash);
        if (payload is null && manifestHash is null)
        {
            return new LedgerSection { Status = CheckStatus.Checked, Reason = "no watermark payload or manifest hash to look up" };
        }
        var latest = await reader.GetLatestCheckpointAsync(cancellationToken).ConfigureAwait(false);
        var matches = new List<LedgerMatch>();
        if (manifestHash is not null && await reader.FindByManifestHashAsync(manifestHash, cancellationToken).ConfigureAwait(false) is { } byManifest)
        {
            matches.Add(await MatchAsync(byManifest, "manifest", latest, cancellationToken).ConfigureAwait(false));
        }
        if (payload is { } value)
        {
            var entries = await reader.FindByWatermarkPayloadAsync(value, cancellationToken).ConfigureAwait(false);
            foreach (var logged in entries.Take(MaxMatches - matches.Count))
            {
                matches.Add(await MatchAsync(logged, "watermark", latest, cancellationToken).ConfigureAwait(false));
            }
        }
        var reason = manifestHash is null ? "no manifest hash to look up (no readable Content Credentials)"
            : payload is null ? "no watermark payload to look up" : null;
        return new LedgerSection { Status = CheckStatus.Checked, Reason = reason, Matches = matches };
    }

    private async Task<LedgerMatch> MatchAsync(LoggedEntry logged, string matchedBy, SignedCheckpoint? latest, CancellationToken ct) => new()
    {
        AssetId = LedgerEntry.FormatId(logged.Entry.AssetId),
        MatchedBy = matchedBy,
        CreatedAt = logged.IntegratedTime,
        Generator = logged.Entry.GeneratorId,
        Receipt = await ReceiptAsync(logged, latest, ct).ConfigureAwait(false),
    };

    private static byte[]? ParseHash(string? hex)
    {
        if (hex is not { Length: 64 })
        {
            return null;
        }
        try
        {
            return Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            return null;
        }
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
