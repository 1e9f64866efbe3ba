using Provenance.Detector.Reports;
using Provenance.Signer.Certificates;
using Provenance.Signer.Verification;

namespace Provenance.Detector.Scanning;

/// <summary>Content Credentials through the C2PA verifier: state, every status code, a view of the active manifest and the
/// manifest store's SHA-256 (the ledger's key for a stamped clip).</summary>
public sealed class C2paCredentialsCheck(TrustList trust) : ICredentialsCheck
{
    /// <summary>IPTC digital source types that declare content made by a trained model (generative AI).</summary>
    private static readonly string[] AiSourceTypes = ["trainedAlgorithmicMedia", "compositeWithTrainedAlgorithmicMedia"];

    public async Task<CredentialsSection> CheckAsync(string path, CancellationToken cancellationToken)
    {
        var result = await C2paVerifier.VerifyAsync(path, trust, cancellationToken).ConfigureAwait(false);
        var section = ToSection(result);
        if (result.State == C2paState.Absent)
        {
            return section;
        }
        // The store's hash is what the ledger records for a stamped clip (looked up by the ledger stage).
        var hash = await ManifestStoreHash.ComputeAsync(path, cancellationToken).ConfigureAwait(false);
        return hash is null ? section : section with { ManifestHash = Convert.ToHexStringLower(hash) };
    }

    public static CredentialsSection ToSection(C2paValidationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new CredentialsSection
        {
            Status = CheckStatus.Checked,
            State = result.State switch
            {
                C2paState.Absent => CredentialsState.Absent,
                C2paState.Invalid => CredentialsState.Invalid,
                C2paState.Valid => CredentialsState.ValidUntrusted,
                _ => CredentialsState.Valid,
            },
            Statuses = result.Statuses.Select(s => new ValidationStatusEntry(s.Code, s.Url, s.Explanation, s.Kind != ValidationStatusKind.Failure)).ToList(),
            Manifest = result.ActiveManifest is { } m ? View(m) : null,
        };
    }

    private static Reports.ManifestView View(Signer.Verification.ManifestView m)
    {
        var sourceType = m.Actions.Select(a => a.DigitalSourceType).FirstOrDefault(t => !string.IsNullOrEmpty(t));
        var generator = m.ClaimGenerator.FirstOrDefault();
        return new Reports.ManifestView
        {
            Label = m.Label,
            Title = m.Title,
            ClaimGenerator = generator is null ? null : generator.Version is null ? generator.Name : $"{generator.Name}/{generator.Version}",
            Signer = m.Signature?.CommonName ?? m.Signature?.Subject,
            SignedAt = m.Signature?.SigningTime,
            Actions = m.Actions.Select(a => a.Action).ToList(),
            DigitalSourceType = sourceType,
            DeclaresAiGeneration = m.Actions.Any(a => a.DigitalSourceType is { } t && AiSourceTypes.Any(ai => t.EndsWith("/" + ai, StringComparison.Ordinal) || t == ai)),
        };
    }
}
