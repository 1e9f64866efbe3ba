using System.Globalization;
using Provenance.Detector.Reports;

namespace Provenance.Detector.Fusion;

/// <summary>
/// Turns what the parts of a scan found into one verdict with reasons. Pure: the same evidence always gives the same
/// outcome. The rules, in order of precedence (the first that applies decides; later findings still add reasons):
/// <list type="number">
/// <item>The input could not be examined → <c>error</c>.</item>
/// <item>Our watermark found with p ≤ <see cref="WatermarkPValueBound"/> and a ledger record for its payload, or
///   intact credentials whose manifest the ledger records → <c>generated-by-this-service</c> (even when the
///   credentials were since broken: the reasons then say so).</item>
/// <item>Credentials present but failing validation → <c>tampered</c>, naming the failed checks.</item>
/// <item>Valid, trusted credentials declaring AI generation → <c>ai-generated-declared</c>.</item>
/// <item>Our watermark found but no ledger record for it → <c>likely-synthetic</c>.</item>
/// <item>A perceptual fingerprint match without a watermark → <c>likely-derived</c>.</item>
/// <item>The classifier's calibrated score: at or above its threshold → <c>likely-synthetic</c>, below →
///   <c>likely-authentic</c>.</item>
/// <item>Otherwise → <c>abstain</c>, with the classifier's reason.</item>
/// </list>
/// </summary>
public static class VerdictFusion
{
    /// <summary>The largest watermark p-value accepted as "found" (one false detection per billion unmarked clips).</summary>
    public const double WatermarkPValueBound = 1e-9;

    public static FusionOutcome Decide(ScanEvidence e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Input.Status != CheckStatus.Checked)
        {
            var why = e.Input.Reason ?? "the file could not be read";
            return new FusionOutcome(Verdict.Error, [$"The input could not be examined: {why}."]);
        }

        var reasons = new List<string>();
        var verdict = DecideVerdict(e, reasons);
        AddSupportingFacts(e, verdict, reasons);
        return new FusionOutcome(verdict, reasons);
    }

    private static Verdict DecideVerdict(ScanEvidence e, List<string> reasons)
    {
        var watermarkFound = WatermarkFound(e.Watermark);
        var byPayload = e.Ledger.Status == CheckStatus.Checked
            ? e.Ledger.Matches.FirstOrDefault(m => m.MatchedBy == "watermark") : null;
        var byManifest = e.Ledger.Status == CheckStatus.Checked && IsIntact(e.Credentials.State)
            ? e.Ledger.Matches.FirstOrDefault(m => m.MatchedBy == "manifest") : null;

        if (watermarkFound && byPayload is not null)
        {
            reasons.Add($"This service's watermark was found (payload {e.Watermark.Payload}, p = {P(e.Watermark.PValue)}) "
                + $"and the ledger records it: {Describe(byPayload)}.");
            if (e.Watermark.Orientation is { } turned && turned != "upright")
                reasons.Add($"The picture is {turned.Replace('-', ' ')} relative to the clip this service generated: it was re-edited after release.");
            if (e.Credentials.State == CredentialsState.Invalid)
            {
                reasons.Add($"Its Content Credentials fail validation ({FailedChecks(e.Credentials)}): the file was altered after it was generated.");
            }
            return Verdict.GeneratedByThisService;
        }
        if (byManifest is not null)
        {
            reasons.Add($"Its Content Credentials are intact and the ledger records their manifest: {Describe(byManifest)}.");
            return Verdict.GeneratedByThisService;
        }
        if (e.Credentials.State == CredentialsState.Invalid)
        {
            reasons.Add($"Content Credentials are present but fail validation: {FailedChecks(e.Credentials)}. "
                + "The file or its manifest was changed after signing.");
            return Verdict.Tampered;
        }
        if (e.Credentials.State == CredentialsState.Valid && e.Credentials.Manifest is { DeclaresAiGeneration: true } m)
        {
            reasons.Add($"Valid Content Credentials from a trusted signer ({m.Signer ?? "unnamed"}) declare the content "
                + $"AI-generated ({m.DigitalSourceType ?? "trained algorithmic media"}"
                + (m.ClaimGenerator is null ? ")." : $", made with {m.ClaimGenerator})."));
            return Verdict.AiGeneratedDeclared;
        }
        if (watermarkFound)
        {
            var ledgerWhy = e.Ledger.Status == CheckStatus.Checked
                ? "the ledger has no record of that payload"
                : $"the ledger could not be checked ({e.Ledger.Reason ?? "no reason given"})";
            reasons.Add($"This service's watermark was found (payload {e.Watermark.Payload}, p = {P(e.Watermark.PValue)}), "
                + $"but {ledgerWhy}: the clip is likely machine-generated, its record unconfirmed.");
            return Verdict.LikelySynthetic;
        }
        if (e.Fingerprint.Status == CheckStatus.Checked && e.Fingerprint.Matches.Count > 0)
        {
            // Matches come most-matched-frames first; the best is the one most of the clip agrees with.
            var best = e.Fingerprint.Matches[0];
            var record = best.CreatedAt is { } at
                ? $", registered {at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC"
                  + (best.Generator is null ? "" : $" by {best.Generator}") + (best.LedgerIndex is { } i ? $", log entry {i}" : "")
                : "";
            reasons.Add($"Perceptual fingerprints match registered clip {best.AssetId}{record} (distance {F(best.Distance)} of 64 bits, "
                + $"{best.MatchedFrames} of {Math.Max(e.Fingerprint.FramesCompared, best.MatchedFrames)} compared frames) but no watermark was found: "
                + "likely derived from a registered clip (re-encoded, cropped or edited).");
            return Verdict.LikelyDerived;
        }
        return ClassifierVerdict(e.Classifier, reasons);
    }

    private static Verdict ClassifierVerdict(ClassifierSection c, List<string> reasons)
    {
        if (c.Status == CheckStatus.Checked && !c.Abstained && c.Score is { } score && c.Threshold is { } threshold)
        {
            var model = c.Model is null ? "The classifier" : $"The classifier {c.Model.Name} {c.Model.Version}";
            var fpr = c.ThresholdFpr is { } f ? $" (calibrated for a {F(f * 100)}% false-positive rate)" : "";
            var synthetic = score >= threshold;
            reasons.Add($"{model} scored the clip {F(score)} against its threshold {F(threshold)}{fpr}: "
                + (synthetic ? "above the threshold, the content looks synthetic to this model."
                             : "below the threshold, the content does not look synthetic to this model."));
            if (c.Meaning is not null)
            {
                reasons.Add(c.Meaning);
            }
            return synthetic ? Verdict.LikelySynthetic : Verdict.LikelyAuthentic;
        }
        var why = c.Status switch
        {
            CheckStatus.Checked => c.Reason ?? "the classifier gave no calibrated score",
            CheckStatus.NotChecked => $"the classifier did not run ({c.Reason ?? "no reason given"})",
            _ => $"the classifier failed ({c.Reason ?? "no reason given"})",
        };
        reasons.Add($"No decisive evidence was found and {why}, so the scan abstains.");
        return Verdict.Abstain;
    }

    private static void AddSupportingFacts(ScanEvidence e, Verdict verdict, List<string> reasons)
    {
        var cred = e.Credentials;
        switch (cred.State)
        {
            case CredentialsState.Absent:
                reasons.Add("No Content Credentials were found.");
                break;
            case CredentialsState.ValidUntrusted:
                reasons.Add($"Content Credentials are intact but their signer ({cred.Manifest?.Signer ?? "unnamed"}) is not on the trust list"
                    + (cred.Manifest?.DeclaresAiGeneration == true ? "; they declare AI generation." : "."));
                break;
            case CredentialsState.Valid when verdict == Verdict.GeneratedByThisService && cred.Manifest?.DeclaresAiGeneration == true
                && !reasons.Any(r => r.StartsWith("Its Content Credentials", StringComparison.Ordinal)):
                reasons.Add($"Its Content Credentials are valid, from a trusted signer ({cred.Manifest.Signer ?? "unnamed"}), and declare "
                    + $"the content AI-generated ({cred.Manifest.DigitalSourceType ?? "trained algorithmic media"}).");
                break;
            case CredentialsState.Valid when verdict != Verdict.AiGeneratedDeclared && cred.Manifest?.DeclaresAiGeneration != true:
                reasons.Add($"Valid Content Credentials ({cred.Manifest?.Signer ?? "unnamed signer"}) make no AI-generation declaration.");
                break;
        }
        if (verdict != Verdict.GeneratedByThisService && e.Ledger.Status == CheckStatus.Checked
            && e.Ledger.Matches.FirstOrDefault(m => m.MatchedBy == "manifest") is { } recorded)
        {
            reasons.Add($"The ledger records its manifest ({Describe(recorded)}), but the credentials no longer validate: "
                + "the file was altered after it was generated.");
        }
        if (verdict != Verdict.LikelyDerived && e.Fingerprint.Status == CheckStatus.Checked && e.Fingerprint.Matches.Count > 0)
        {
            var best = e.Fingerprint.Matches[0];
            reasons.Add($"Perceptual fingerprints also match registered clip {best.AssetId} (distance {F(best.Distance)} over {best.MatchedFrames} frames).");
        }
        if (e.Watermark.Status == CheckStatus.Checked && !e.Watermark.Found && e.Watermark.PValue is { } p && e.Watermark.Payload is not null)
        {
            reasons.Add($"A weak watermark signal (p = {P(p)}) stayed above the detection bound {P(WatermarkPValueBound)} and was not counted.");
        }
        if (verdict is not Verdict.LikelySynthetic and not Verdict.LikelyAuthentic and not Verdict.Abstain
            && e.Classifier is { Status: CheckStatus.Checked, Abstained: false, Score: { } s, Threshold: { } t })
        {
            reasons.Add($"The classifier scored the clip {F(s)} against its threshold {F(t)}.");
        }
        foreach (var (part, status, why) in Parts(e))
        {
            if (status == CheckStatus.NotChecked)
            {
                reasons.Add($"{part} not checked: {why ?? "no reason given"}.");
            }
            else if (status == CheckStatus.Error)
            {
                reasons.Add($"{part} check failed: {why ?? "no reason given"}.");
            }
        }
    }

    private static IEnumerable<(string Part, CheckStatus Status, string? Reason)> Parts(ScanEvidence e)
    {
        yield return ("Content Credentials", e.Credentials.Status, e.Credentials.Reason);
        yield return ("Watermark", e.Watermark.Status, e.Watermark.Reason);
        yield return ("Ledger", e.Ledger.Status, e.Ledger.Reason);
        yield return ("Fingerprint index", e.Fingerprint.Status, e.Fingerprint.Reason);
    }

    private static bool WatermarkFound(WatermarkSection w) =>
        w.Status == CheckStatus.Checked && w.Found && w.PValue is { } p && p <= WatermarkPValueBound;

    private static bool IsIntact(CredentialsState s) => s is CredentialsState.Valid or CredentialsState.ValidUntrusted;

    private static string FailedChecks(CredentialsSection c)
    {
        var failed = c.Statuses.Where(s => !s.Success).Select(s => s.Explanation is null ? s.Code : $"{s.Code} ({s.Explanation})").ToList();
        return failed.Count == 0 ? "no failure code was given" : string.Join("; ", failed);
    }

    private static string Describe(LedgerMatch m)
    {
        var parts = new List<string> { $"asset {m.AssetId}" };
        if (m.CreatedAt is { } at)
        {
            parts.Add($"generated {at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC");
        }
        if (m.Generator is not null)
        {
            parts.Add($"by {m.Generator}");
        }
        if (m.Receipt is not null)
        {
            parts.Add($"log entry {m.Receipt.Index}");
        }
        return string.Join(", ", parts);
    }

    private static string P(double? p) => p is { } v ? v.ToString("0.##E+0", CultureInfo.InvariantCulture) : "unknown";

    private static string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
}
