namespace Provenance.Signer.Verification;

/// <summary>C2PA validation status codes (C2PA 2.x §15, as c2pa-rs reports them).</summary>
public static class ValidationCodes
{
    public const string ClaimSignatureValidated = "claimSignature.validated";
    public const string ClaimSignatureInsideValidity = "claimSignature.insideValidity";
    public const string SigningCredentialTrusted = "signingCredential.trusted";
    public const string TimeStampValidated = "timeStamp.validated";
    public const string TimeStampTrusted = "timeStamp.trusted";
    public const string AssertionHashedUriMatch = "assertion.hashedURI.match";
    public const string AssertionBmffHashMatch = "assertion.bmffHash.match";
    public const string IngredientManifestValidated = "ingredient.manifest.validated";
    public const string IngredientClaimSignatureValidated = "ingredient.claimSignature.validated";

    public const string TimeStampMismatch = "timeStamp.mismatch";
    public const string TimeStampMalformed = "timeStamp.malformed";
    public const string TimeStampOutsideValidity = "timeStamp.outsideValidity";
    public const string TimeStampUntrusted = "timeStamp.untrusted";

    public const string ClaimMissing = "claim.missing";
    public const string ClaimMultiple = "claim.multiple";
    public const string ClaimMalformed = "claim.malformed";
    public const string ClaimCborInvalid = "claim.cbor.invalid";
    public const string HardBindingsMissing = "claim.hardBindings.missing";
    public const string MultipleHardBindings = "assertion.multipleHardBindings";
    public const string ClaimSignatureMissing = "claimSignature.missing";
    public const string ClaimSignatureMismatch = "claimSignature.mismatch";
    public const string ClaimSignatureOutsideValidity = "claimSignature.outsideValidity";
    public const string ManifestInaccessible = "manifest.inaccessible";
    public const string SigningCredentialUntrusted = "signingCredential.untrusted";
    public const string SigningCredentialInvalid = "signingCredential.invalid";
    public const string SigningCredentialRevoked = "signingCredential.ocsp.revoked";
    public const string SigningCredentialExpired = "signingCredential.expired";
    public const string AssertionHashedUriMismatch = "assertion.hashedURI.mismatch";
    public const string AssertionMissing = "assertion.missing";
    public const string AssertionCborInvalid = "assertion.cbor.invalid";
    public const string AssertionBmffHashMismatch = "assertion.bmffHash.mismatch";
    public const string AssertionBmffHashMalformed = "assertion.bmffHash.malformed";
    public const string IngredientManifestMissing = "ingredient.manifest.missing";
    public const string IngredientManifestMismatch = "ingredient.manifest.mismatch";
    public const string IngredientClaimSignatureMismatch = "ingredient.claimSignature.mismatch";
    public const string AlgorithmUnsupported = "algorithm.unsupported";
    public const string GeneralError = "general.error";

    private static readonly HashSet<string> Successes =
    [
        ClaimSignatureValidated, ClaimSignatureInsideValidity, SigningCredentialTrusted, TimeStampValidated, TimeStampTrusted,
        AssertionHashedUriMatch, AssertionBmffHashMatch, IngredientManifestValidated, IngredientClaimSignatureValidated,
    ];

    private static readonly HashSet<string> Informational = [TimeStampMismatch, TimeStampMalformed, TimeStampOutsideValidity, TimeStampUntrusted];

    public static ValidationStatusKind KindOf(string code) =>
        Successes.Contains(code) ? ValidationStatusKind.Success
        : Informational.Contains(code) ? ValidationStatusKind.Informational
        : ValidationStatusKind.Failure;
}
