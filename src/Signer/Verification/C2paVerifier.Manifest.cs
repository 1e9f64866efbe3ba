using System.Security.Cryptography;
using Provenance.Formats.Cbor;
using Provenance.Signer.C2pa;
using Provenance.Formats.Jumbf;
using Provenance.Signer.Manifest;

namespace Provenance.Signer.Verification;

public static partial class C2paVerifier
{
    private static readonly HashSet<string> BmffHashLabels = [C2paLabels.BmffHashV3, C2paLabels.BmffHashV2, C2paLabels.BmffHashV1];
    private static readonly HashSet<string> HardBindingLabels = [.. BmffHashLabels, C2paLabels.DataHash, "c2pa.hash.boxes", "c2pa.hash.collection.data"];
    private const int MaxIngredientDepth = 8;

    private sealed record ParsedClaim(CborMap Map, byte[] Bytes, int Version, List<HashedUri> References);

    /// <summary>Validates one manifest; for the active manifest also its hard binding. Returns the manifest's view.</summary>
    private static async Task<ManifestView?> ValidateManifestAsync(StoreContext context, JumbfSuperBox manifest, List<ValidationStatus> statuses,
        bool isActive, CancellationToken cancellationToken, int depth = 0)
    {
        var label = manifest.Label ?? "";
        var claim = ReadClaim(context, manifest, statuses);
        if (claim is null) return null;

        var signatureUrl = claim.Map.GetValueOrDefault("signature") is CborTextString s ? s.Value : null;
        var signatureBox = signatureUrl is null ? null : context.Resolve(signatureUrl, manifest);
        var statusUrl = C2paLabels.AbsoluteUri(label, C2paLabels.Signature);
        if (signatureBox is null)
        {
            statuses.Add(new ValidationStatus(ValidationCodes.ClaimSignatureMissing, statusUrl, "claim signature box not found"));
            return BuildView(context, manifest, claim, null);
        }
        var signature = ValidateSignature(context, claim.Bytes, signatureBox, statusUrl, statuses);
        if (!signature.Validated) return BuildView(context, manifest, claim, signature.View);

        var hardBindings = new List<(string Label, JumbfSuperBox Box)>();
        var ingredients = new List<(string Label, JumbfSuperBox Box)>();
        foreach (var reference in claim.References)
        {
            var box = context.Resolve(reference.Url, manifest);
            var assertionLabel = box?.Label ?? reference.Url[(reference.Url.LastIndexOf('/') + 1)..];
            var url = C2paLabels.AbsoluteUri(label, $"{C2paLabels.AssertionStore}/{assertionLabel}");
            if (box is null)
            {
                statuses.Add(new ValidationStatus(ValidationCodes.AssertionMissing, url, $"assertion not found: {reference.Url}"));
                continue;
            }
            var alg = reference.Alg ?? (claim.Map.GetValueOrDefault("alg") as CborTextString)?.Value ?? "sha256";
            var actual = Hash(alg, StoreContext.Contents(box));
            if (actual is null)
                statuses.Add(new ValidationStatus(ValidationCodes.AlgorithmUnsupported, url, $"unsupported hash algorithm {alg}"));
            else if (!actual.AsSpan().SequenceEqual(reference.Hash))
                statuses.Add(new ValidationStatus(ValidationCodes.AssertionHashedUriMismatch, url, $"hash does not match assertion data: {reference.Url}"));
            else
                statuses.Add(new ValidationStatus(ValidationCodes.AssertionHashedUriMatch, url, $"hashed uri matched: {reference.Url}"));
            var baseLabel = BaseLabel(assertionLabel);
            if (HardBindingLabels.Contains(baseLabel)) hardBindings.Add((baseLabel, box));
            if (baseLabel.StartsWith("c2pa.ingredient", StringComparison.Ordinal)) ingredients.Add((assertionLabel, box));
        }

        if (isActive) await CheckHardBindingAsync(context, manifest, claim, hardBindings, statuses, cancellationToken).ConfigureAwait(false);
        if (depth < MaxIngredientDepth)
            foreach (var (ingredientLabel, box) in ingredients)
                await ValidateIngredientAsync(context, manifest, ingredientLabel, box, statuses, cancellationToken, depth).ConfigureAwait(false);
        return BuildView(context, manifest, claim, signature.View);
    }

    private static ParsedClaim? ReadClaim(StoreContext context, JumbfSuperBox manifest, List<ValidationStatus> statuses)
    {
        var label = manifest.Label ?? "";
        var claims = manifest.SuperBoxes.Where(b => b.TypeId == JumbfTypes.Claim).ToList();
        var claimUrl = C2paLabels.AbsoluteUri(label, C2paLabels.ClaimV2);
        if (claims.Count == 0)
        {
            statuses.Add(new ValidationStatus(ValidationCodes.ClaimMissing, claimUrl, "claim box not found"));
            return null;
        }
        if (claims.Count > 1)
        {
            statuses.Add(new ValidationStatus(ValidationCodes.ClaimMultiple, claimUrl, "more than one claim box"));
            return null;
        }
        try
        {
            var map = StoreContext.CborContent(claims[0], out var raw)?.AsMap();
            if (map is null || raw is null)
            {
                statuses.Add(new ValidationStatus(ValidationCodes.ClaimMissing, claimUrl, "claim box has no CBOR content"));
                return null;
            }
            int version = claims[0].Label == C2paLabels.ClaimV2 ? 2 : 1;
            var references = new List<HashedUri>();
            foreach (var key in version == 2 ? new[] { "created_assertions", "gathered_assertions" } : ["assertions"])
                if (map.GetValueOrDefault(key) is { } list)
                    references.AddRange(list.AsArray().Select(HashedUri.FromCbor));
            return new ParsedClaim(map, raw, version, references);
        }
        catch (CborException e)
        {
            statuses.Add(new ValidationStatus(ValidationCodes.ClaimCborInvalid, claimUrl, $"claim could not be converted from CBOR: {e.Message}"));
            return null;
        }
    }

    private static async Task CheckHardBindingAsync(StoreContext context, JumbfSuperBox manifest, ParsedClaim claim,
        List<(string Label, JumbfSuperBox Box)> hardBindings, List<ValidationStatus> statuses, CancellationToken cancellationToken)
    {
        var label = manifest.Label ?? "";
        bool update = manifest.TypeId == JumbfTypes.UpdateManifest;
        if (hardBindings.Count == 0)
        {
            if (!update) statuses.Add(new ValidationStatus(ValidationCodes.HardBindingsMissing, C2paLabels.AbsoluteUri(label, C2paLabels.ClaimV2), "claim is missing a hard binding"));
            return;
        }
        if (hardBindings.Count > 1)
        {
            statuses.Add(new ValidationStatus(ValidationCodes.MultipleHardBindings, C2paLabels.AbsoluteUri(label, C2paLabels.ClaimV2), "claim has more than one hard binding"));
            return;
        }
        var (bindingLabel, box) = hardBindings[0];
        var url = C2paLabels.AbsoluteUri(label, $"{C2paLabels.AssertionStore}/{box.Label}");
        if (!BmffHashLabels.Contains(bindingLabel))
        {
            statuses.Add(new ValidationStatus(ValidationCodes.AssertionBmffHashMismatch, url, $"hard binding {bindingLabel} does not apply to ISO BMFF media"));
            return;
        }
        try
        {
            var content = StoreContext.CborContent(box, out _) ?? throw new BmffHashAssertionException("assertion has no CBOR content");
            var assertion = BmffHashCheck.Parse(content, (claim.Map.GetValueOrDefault("alg") as CborTextString)?.Value ?? "sha256");
            if (assertion.Hash is null)
            {
                statuses.Add(new ValidationStatus(ValidationCodes.AssertionBmffHashMismatch, url,
                    assertion.HasMerkle ? "Merkle-tree BMFF hashes (fragmented sets) are not supported" : "BMFF hash assertion has no hash"));
                return;
            }
            var actual = await BmffHashCheck.ComputeAsync(context.File, context.Boxes, assertion, bindingLabel != C2paLabels.BmffHashV1, cancellationToken).ConfigureAwait(false);
            statuses.Add(actual.AsSpan().SequenceEqual(assertion.Hash)
                ? new ValidationStatus(ValidationCodes.AssertionBmffHashMatch, url, "BMFF hash valid")
                : new ValidationStatus(ValidationCodes.AssertionBmffHashMismatch, url, "asset hash error: the media does not match the BMFF hash"));
        }
        catch (CborException e)
        {
            statuses.Add(new ValidationStatus(ValidationCodes.AssertionCborInvalid, url, $"BMFF hash assertion is not valid CBOR: {e.Message}"));
        }
        catch (BmffHashAssertionException e)
        {
            statuses.Add(new ValidationStatus(ValidationCodes.AssertionBmffHashMalformed, url, e.Message));
        }
    }

    private static async Task ValidateIngredientAsync(StoreContext context, JumbfSuperBox manifest, string ingredientLabel, JumbfSuperBox box,
        List<ValidationStatus> statuses, CancellationToken cancellationToken, int depth)
    {
        var url = C2paLabels.AbsoluteUri(manifest.Label ?? "", $"{C2paLabels.AssertionStore}/{ingredientLabel}");
        HashedUri? reference;
        try
        {
            var map = StoreContext.CborContent(box, out _)?.AsMap();
            var value = map?.GetValueOrDefault("activeManifest") ?? map?.GetValueOrDefault("c2pa_manifest");
            reference = value is null ? null : HashedUri.FromCbor(value);
        }
        catch (CborException e)
        {
            statuses.Add(new ValidationStatus(ValidationCodes.AssertionCborInvalid, url, $"ingredient assertion is not valid CBOR: {e.Message}"));
            return;
        }
        if (reference is null) return; // an ingredient without C2PA provenance
        var target = context.Resolve(reference.Url, manifest);
        if (target is null || !IsManifest(target))
        {
            statuses.Add(new ValidationStatus(ValidationCodes.IngredientManifestMissing, url, $"ingredient manifest not found: {reference.Url}"));
            return;
        }
        var actual = Hash(reference.Alg ?? "sha256", StoreContext.Contents(target));
        if (actual is null || !actual.AsSpan().SequenceEqual(reference.Hash))
        {
            statuses.Add(new ValidationStatus(ValidationCodes.IngredientManifestMismatch, url, $"ingredient manifest hash does not match: {reference.Url}"));
            return;
        }
        var nested = new List<ValidationStatus>();
        await ValidateManifestAsync(context, target, nested, isActive: false, cancellationToken, depth + 1).ConfigureAwait(false);
        bool signed = nested.Any(s => s.Code == ValidationCodes.ClaimSignatureValidated);
        var failures = nested.Where(s => s.Kind == ValidationStatusKind.Failure && s.Code != ValidationCodes.SigningCredentialUntrusted).ToList();
        if (signed && failures.Count == 0)
            statuses.Add(new ValidationStatus(ValidationCodes.IngredientManifestValidated, url, $"ingredient manifest validated: {reference.Url}"));
        else
            statuses.Add(new ValidationStatus(ValidationCodes.IngredientClaimSignatureMismatch, url,
                $"ingredient manifest failed validation: {string.Join(", ", failures.Select(f => f.Code).DefaultIfEmpty("unsigned"))}"));
    }

    internal static string BaseLabel(string label)
    {
        int instance = label.IndexOf("__", StringComparison.Ordinal);
        return instance < 0 ? label : label[..instance];
    }

    private static byte[]? Hash(string alg, ReadOnlySpan<byte> data) => alg switch
    {
        "sha256" => SHA256.HashData(data),
        "sha384" => SHA384.HashData(data),
        "sha512" => SHA512.HashData(data),
        _ => null,
    };
}
