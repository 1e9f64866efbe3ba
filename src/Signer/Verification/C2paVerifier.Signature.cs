using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using Provenance.Formats.Cbor;
using Provenance.Formats.Cose;
using Provenance.Signer.Certificates;
using Provenance.Formats.Jumbf;

namespace Provenance.Signer.Verification;

public static partial class C2paVerifier
{
    private sealed record SignatureOutcome(bool Validated, SignatureView? View);

    /// <summary>Validates the claim signature: time-stamp, certificate profile, trust, revocation, the signature itself.</summary>
    private static SignatureOutcome ValidateSignature(StoreContext context, byte[] claimBytes, JumbfSuperBox signatureBox, string url,
        List<ValidationStatus> statuses)
    {
        CoseSign1Message cose;
        List<X509Certificate2> chain;
        long? algId;
        try
        {
            var cbor = signatureBox.ContentBoxes.FirstOrDefault(c => c.Type == JumbfBoxTypes.Cbor)
                ?? throw new CoseException(CoseErrorKind.Malformed, "signature box has no cbor content");
            cose = CoseSign1Message.Decode(cbor.Payload);
            if (cose.Payload is not null) throw new CoseException(CoseErrorKind.Malformed, "the claim signature must have a detached payload");
            chain = cose.CertificateChain.Select(LoadCertificate).ToList();
            algId = cose.ProtectedHeaders.GetValueOrDefault(CoseHeaderLabels.Algorithm) is CborInteger { Magnitude: < 1024 } a ? a.AsInt64() : null;
        }
        catch (CoseException e)
        {
            statuses.Add(new ValidationStatus(ValidationCodes.ClaimSignatureMismatch, url, $"claim signature unreadable: {e.Message}"));
            return new SignatureOutcome(false, null);
        }
        catch (CryptographicException e)
        {
            statuses.Add(new ValidationStatus(ValidationCodes.SigningCredentialInvalid, url, $"signing certificate unreadable: {e.Message}"));
            return new SignatureOutcome(false, null);
        }
        if (chain.Count == 0)
        {
            statuses.Add(new ValidationStatus(ValidationCodes.SigningCredentialInvalid, url, "no signing certificate (x5chain) in the claim signature"));
            return new SignatureOutcome(false, null);
        }
        var signer = chain[0];
        var alg = algId is { } id ? SigningAlgorithms.FromCoseId(id) : null;
        bool ed25519 = algId == -8;
        var view = new SignatureView
        {
            Algorithm = alg?.Name() ?? (ed25519 ? "ed25519" : algId?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Subject = signer.Subject,
            Issuer = signer.Issuer,
            CommonName = signer.GetNameInfo(X509NameType.SimpleName, false),
            SerialNumber = signer.SerialNumber,
        };
        if (alg is null && !ed25519)
        {
            statuses.Add(new ValidationStatus(ValidationCodes.AlgorithmUnsupported, url, $"unsupported signature algorithm {algId}"));
            return new SignatureOutcome(false, view);
        }

        var (stampTime, stamped) = ValidateTimeStamp(context, cose, claimBytes, url, statuses);
        view = view with { SigningTime = stampTime, TimeStamped = stamped };
        var signingTime = stampTime ?? DateTimeOffset.UtcNow;

        var (failure, reason) = CertificateProfile.CheckEndEntity(signer, signingTime, CertificateProfile.ClaimSigningEkus);
        if (failure == ProfileFailure.Invalid)
        {
            statuses.Add(new ValidationStatus(ValidationCodes.SigningCredentialInvalid, url, reason));
            return new SignatureOutcome(false, view);
        }
        if (failure == ProfileFailure.Expired)
        {
            statuses.Add(new ValidationStatus(ValidationCodes.SigningCredentialExpired, url, reason));
            return new SignatureOutcome(false, view);
        }

        if (context.Trust.Revocations.Find(signer) is { } revoked && signingTime >= revoked.RevokedAt)
            statuses.Add(new ValidationStatus(ValidationCodes.SigningCredentialRevoked, url,
                $"signing certificate revoked since {revoked.RevokedAt:O}{(revoked.Reason is null ? "" : $" ({revoked.Reason})")}"));
        else if (ChainsToAnchor(signer, chain.Skip(1), context.Trust, signingTime))
            statuses.Add(new ValidationStatus(ValidationCodes.SigningCredentialTrusted, url, "signing certificate trusted, found in configured trust anchors"));
        else
            statuses.Add(new ValidationStatus(ValidationCodes.SigningCredentialUntrusted, url, "signing certificate untrusted"));

        bool valid;
        try
        {
            // As c2pa-rs does, a signer certificate without an organisation in its subject fails the signature check.
            valid = CertificateAuthority.HasOrganization(signer.SubjectName) && cose.VerifyDetached(claimBytes, signer);
        }
        catch (CoseException)
        {
            valid = false; // the certificate's key does not fit the algorithm
        }
        if (!valid)
        {
            statuses.Add(new ValidationStatus(ValidationCodes.ClaimSignatureMismatch, url, "claim signature is not valid"));
            return new SignatureOutcome(false, view);
        }
        statuses.Add(new ValidationStatus(ValidationCodes.ClaimSignatureInsideValidity, url, "claim signature valid"));
        statuses.Add(new ValidationStatus(ValidationCodes.ClaimSignatureValidated, url, "claim signature valid"));
        return new SignatureOutcome(true, view);
    }

    // Loads a certificate and reads the fields used later, so that a malformed one fails here (OpenSSL parses lazily).
    private static X509Certificate2 LoadCertificate(byte[] der)
    {
        var cert = X509CertificateLoader.LoadCertificate(der);
        _ = (cert.NotBefore, cert.NotAfter, cert.Subject, cert.Issuer, cert.SerialNumber, cert.Version, cert.Extensions.Count, cert.PublicKey.Oid.Value, cert.SignatureAlgorithm.Value);
        return cert;
    }

    /// <summary>True when <paramref name="leaf"/> chains (through <paramref name="intermediates"/>) to a configured anchor at <paramref name="at"/>.</summary>
    internal static bool ChainsToAnchor(X509Certificate2 leaf, IEnumerable<X509Certificate2> intermediates, TrustList trust, DateTimeOffset at)
    {
        if (trust.Anchors.Count == 0) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = at.UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        foreach (var anchor in trust.Anchors) chain.ChainPolicy.CustomTrustStore.Add(anchor);
        foreach (var cert in intermediates) chain.ChainPolicy.ExtraStore.Add(cert);
        try
        {
            if (chain.Build(leaf)) return true;
            // An anchor that is itself an intermediate ends the chain early: accept when it is part of the chain
            // and nothing but the missing root is wrong.
            var anchors = trust.Anchors.Select(a => a.Thumbprint).ToHashSet();
            bool reachesAnchor = chain.ChainElements.Skip(1).Any(e => anchors.Contains(e.Certificate.Thumbprint)) || anchors.Contains(leaf.Thumbprint);
            return reachesAnchor && chain.ChainStatus.All(s => s.Status is X509ChainStatusFlags.PartialChain or X509ChainStatusFlags.UntrustedRoot);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>Validates <c>sigTst2</c> (or v1 <c>sigTst</c>); returns the time-stamp's time when it is valid and trusted.</summary>
    private static (DateTimeOffset? Time, bool Present) ValidateTimeStamp(StoreContext context, CoseSign1Message cose, byte[] claimBytes, string url,
        List<ValidationStatus> statuses)
    {
        bool v2 = cose.UnprotectedHeaders.TryGetValue(CoseHeaderLabels.SigTst2, out var container);
        if (!v2 && !cose.UnprotectedHeaders.TryGetValue(CoseHeaderLabels.SigTst, out container)) return (null, false);
        byte[] token;
        try
        {
            var tokens = container!.AsMap()["tstTokens"].AsArray();
            if (tokens.Count != 1)
            {
                statuses.Add(new ValidationStatus(ValidationCodes.TimeStampMalformed, url, "only a single time-stamp token is allowed"));
                return (null, true);
            }
            token = tokens[0].AsMap()["val"].AsBytes();
        }
        catch (Exception e) when (e is CborException or KeyNotFoundException)
        {
            statuses.Add(new ValidationStatus(ValidationCodes.TimeStampMalformed, url, "time-stamp container malformed"));
            return (null, true);
        }
        var covered = v2 ? cose.CounterSignatureToBeSigned() : CoseSign1.SigStructure("CounterSignature", cose.ProtectedHeaderBytes, default, claimBytes);

        if (!Rfc3161TimestampToken.TryDecode(token, out var tst, out int read) || read != token.Length)
        {
            statuses.Add(new ValidationStatus(ValidationCodes.TimeStampMalformed, url, "time-stamp token unreadable"));
            return (null, true);
        }
        var info = tst.TokenInfo;
        var imprintAlg = info.HashAlgorithmId.Value switch
        {
            "2.16.840.1.101.3.4.2.1" => HashAlgorithmName.SHA256,
            "2.16.840.1.101.3.4.2.2" => HashAlgorithmName.SHA384,
            "2.16.840.1.101.3.4.2.3" => HashAlgorithmName.SHA512,
            _ => (HashAlgorithmName?)null,
        };
        if (imprintAlg is null)
        {
            statuses.Add(new ValidationStatus(ValidationCodes.TimeStampUntrusted, url, "time-stamp message digest algorithm unsupported"));
            return (null, true);
        }
        var digest = CryptographicOperations.HashData(imprintAlg.Value, covered);
        if (!digest.AsSpan().SequenceEqual(info.GetMessageHash().Span))
        {
            statuses.Add(new ValidationStatus(ValidationCodes.TimeStampMismatch, url, "time-stamp message digest did not match"));
            return (null, true);
        }
        var cms = tst.AsSignedCms();
        if (!tst.VerifySignatureForHash(digest, imprintAlg.Value, out var tsaCert, cms.Certificates) || tsaCert is null)
        {
            statuses.Add(new ValidationStatus(ValidationCodes.TimeStampUntrusted, url, "time-stamp signature did not verify"));
            return (null, true);
        }
        var genTime = info.Timestamp;
        if (genTime < tsaCert.NotBefore.ToUniversalTime() || genTime > tsaCert.NotAfter.ToUniversalTime())
        {
            statuses.Add(new ValidationStatus(ValidationCodes.TimeStampOutsideValidity, url, "time-stamp signer outside of certificate validity"));
            return (null, true);
        }
        var name = tsaCert.GetNameInfo(X509NameType.SimpleName, false);
        statuses.Add(new ValidationStatus(ValidationCodes.TimeStampValidated, url, $"timestamp message digest matched: {name}"));
        var (failure, _) = CertificateProfile.CheckEndEntity(tsaCert, genTime, CertificateProfile.TimeStampingEkus);
        var others = cms.Certificates.Cast<X509Certificate2>().Where(c => c.Thumbprint != tsaCert.Thumbprint);
        if (failure != ProfileFailure.None || !ChainsToAnchor(tsaCert, others, context.Trust, genTime))
        {
            statuses.Add(new ValidationStatus(ValidationCodes.TimeStampUntrusted, url, $"timestamp cert untrusted: {name}"));
            return (null, true);
        }
        statuses.Add(new ValidationStatus(ValidationCodes.TimeStampTrusted, url, $"timestamp cert trusted: {name}"));
        return (genTime, true);
    }
}
