using Provenance.Detector.Fusion;
using Provenance.Detector.Reports;

namespace Provenance.Detector.Tests.Fusion;

public sealed class VerdictFusionTests
{
    [Fact]
    public void Decide_UnreadableInput_IsErrorWithTheProbeReason()
    {
        var input = new InputSection { Status = CheckStatus.Error, Reason = "not a video: no video stream" };
        var outcome = VerdictFusion.Decide(ScanEvidence.NothingChecked(input, "the input could not be read"));
        Assert.Equal(Verdict.Error, outcome.Verdict);
        Assert.Contains("not a video: no video stream", Assert.Single(outcome.Reasons));
    }

    [Fact]
    public void Decide_WatermarkWithLedgerRecord_IsGeneratedByThisServiceNamingAssetTimeAndGenerator()
    {
        var outcome = VerdictFusion.Decide(Evidence.Clean().WithWatermark().WithLedgerMatch());
        Assert.Equal(Verdict.GeneratedByThisService, outcome.Verdict);
        Assert.Contains("asset-42", outcome.Reasons[0]);
        Assert.Contains("2026-11-20 12:00:00 UTC", outcome.Reasons[0]);
        Assert.Contains("demo-backend", outcome.Reasons[0]);
        Assert.Contains("00112233445566778899aabbccddeeff", outcome.Reasons[0]);
    }

    [Fact]
    public void Decide_WatermarkWithLedgerRecordAndTrustedCredentials_SaysTheCredentialsDeclareAiGeneration()
    {
        var outcome = VerdictFusion.Decide(Evidence.Clean().WithWatermark().WithLedgerMatch().WithCredentials(CredentialsState.Valid, declaresAi: true));
        Assert.Equal(Verdict.GeneratedByThisService, outcome.Verdict);
        var credentials = Assert.Single(outcome.Reasons, r => r.Contains("Content Credentials", StringComparison.Ordinal));
        Assert.Contains("valid, from a trusted signer (Example Newsroom)", credentials);
        Assert.Contains("trainedAlgorithmicMedia", credentials);
    }

    [Fact]
    public void Decide_MirroredCopyOfARecordedClip_SaysThePictureWasMirrored()
    {
        var evidence = Evidence.Clean().WithWatermark().WithLedgerMatch();
        var upright = VerdictFusion.Decide(evidence with { Watermark = evidence.Watermark with { Orientation = "upright" } });
        var mirrored = VerdictFusion.Decide(evidence with { Watermark = evidence.Watermark with { Orientation = "mirrored" } });

        Assert.Equal(Verdict.GeneratedByThisService, mirrored.Verdict);
        Assert.Contains(mirrored.Reasons, r => r.Contains("The picture is mirrored relative to the clip this service generated", StringComparison.Ordinal));
        Assert.DoesNotContain(upright.Reasons, r => r.Contains("The picture is", StringComparison.Ordinal));
    }

    [Fact]
    public void Decide_WatermarkAboveThePValueBound_IsNotCountedEvenWithALedgerRecord()
    {
        var outcome = VerdictFusion.Decide(Evidence.Clean(classifierScore: 0.1).WithWatermark(pValue: 1e-6).WithLedgerMatch());
        Assert.Equal(Verdict.LikelyAuthentic, outcome.Verdict);
        Assert.Contains(outcome.Reasons, r => r.Contains("weak watermark signal", StringComparison.Ordinal));
    }

    [Fact]
    public void Decide_ValidTrustedCredentialsDeclaringAi_IsAiGeneratedDeclared()
    {
        var outcome = VerdictFusion.Decide(Evidence.Clean().WithCredentials(CredentialsState.Valid, declaresAi: true));
        Assert.Equal(Verdict.AiGeneratedDeclared, outcome.Verdict);
        Assert.Contains("Example Newsroom", outcome.Reasons[0]);
        Assert.Contains("trainedAlgorithmicMedia", outcome.Reasons[0]);
    }

    [Fact]
    public void Decide_UntrustedCredentialsDeclaringAi_FallsThroughToTheClassifierAndSaysWhy()
    {
        var outcome = VerdictFusion.Decide(Evidence.Clean(classifierScore: 0.9).WithCredentials(CredentialsState.ValidUntrusted, declaresAi: true));
        Assert.Equal(Verdict.LikelySynthetic, outcome.Verdict);
        Assert.Contains(outcome.Reasons, r => r.Contains("not on the trust list", StringComparison.Ordinal));
    }

    [Fact]
    public void Decide_InvalidCredentials_IsTamperedNamingTheFailedCheck()
    {
        var outcome = VerdictFusion.Decide(Evidence.Clean().WithCredentials(CredentialsState.Invalid, false, Evidence.HashMismatch));
        Assert.Equal(Verdict.Tampered, outcome.Verdict);
        Assert.Contains("assertion.bmffHash.mismatch", outcome.Reasons[0]);
    }

    [Fact]
    public void Decide_InvalidCredentialsButWatermarkAndLedgerRecord_IsGeneratedByThisServiceAndReportsTheBreak()
    {
        var outcome = VerdictFusion.Decide(Evidence.Clean().WithWatermark().WithLedgerMatch()
            .WithCredentials(CredentialsState.Invalid, false, Evidence.HashMismatch));
        Assert.Equal(Verdict.GeneratedByThisService, outcome.Verdict);
        Assert.Contains(outcome.Reasons, r => r.Contains("assertion.bmffHash.mismatch", StringComparison.Ordinal));
    }

    [Fact]
    public void Decide_InvalidCredentialsAndWatermarkWithoutLedgerRecord_IsTampered()
    {
        var outcome = VerdictFusion.Decide(Evidence.Clean().WithWatermark().WithCredentials(CredentialsState.Invalid, false, Evidence.HashMismatch));
        Assert.Equal(Verdict.Tampered, outcome.Verdict);
    }

    [Fact]
    public void Decide_InvalidCredentialsDeclaringAi_IsTamperedNotDeclared()
    {
        var outcome = VerdictFusion.Decide(Evidence.Clean().WithCredentials(CredentialsState.Invalid, true, Evidence.HashMismatch));
        Assert.Equal(Verdict.Tampered, outcome.Verdict);
    }

    [Fact]
    public void Decide_IntactCredentialsWhoseManifestTheLedgerRecords_IsGeneratedByThisService()
    {
        var outcome = VerdictFusion.Decide(Evidence.Clean().WithCredentials(CredentialsState.ValidUntrusted, true).WithLedgerMatch("manifest", "asset-9"));
        Assert.Equal(Verdict.GeneratedByThisService, outcome.Verdict);
        Assert.Contains("asset-9", outcome.Reasons[0]);
    }

    [Fact]
    public void Decide_InvalidCredentialsWithLedgerManifestRecord_IsTampered()
    {
        var outcome = VerdictFusion.Decide(Evidence.Clean().WithCredentials(CredentialsState.Invalid, true, Evidence.HashMismatch).WithLedgerMatch("manifest"));
        Assert.Equal(Verdict.Tampered, outcome.Verdict);
    }

    [Fact]
    public void Decide_WatermarkWithoutLedgerRecord_IsLikelySyntheticAndSaysTheRecordIsMissing()
    {
        var outcome = VerdictFusion.Decide(Evidence.Clean(classifierScore: 0.01).WithWatermark());
        Assert.Equal(Verdict.LikelySynthetic, outcome.Verdict);
        Assert.Contains("no record", outcome.Reasons[0]);
    }

    [Fact]
    public void Decide_WatermarkWhileLedgerNotChecked_IsLikelySyntheticAndGivesTheLedgerReason()
    {
        var e = Evidence.Clean().WithWatermark() with { Ledger = new LedgerSection { Status = CheckStatus.NotChecked, Reason = "no ledger configured" } };
        var outcome = VerdictFusion.Decide(e);
        Assert.Equal(Verdict.LikelySynthetic, outcome.Verdict);
        Assert.Contains("no ledger configured", outcome.Reasons[0]);
    }

    [Fact]
    public void Decide_WatermarkAndTrustedAiDeclaration_IsAiGeneratedDeclaredWhenTheLedgerHasNoRecord()
    {
        var outcome = VerdictFusion.Decide(Evidence.Clean().WithWatermark().WithCredentials(CredentialsState.Valid, declaresAi: true));
        Assert.Equal(Verdict.AiGeneratedDeclared, outcome.Verdict);
    }

    [Fact]
    public void Decide_FingerprintMatchWithoutWatermark_IsLikelyDerived()
    {
        var outcome = VerdictFusion.Decide(Evidence.Clean(classifierScore: 0.05).WithFingerprintMatch());
        Assert.Equal(Verdict.LikelyDerived, outcome.Verdict);
        Assert.Contains("asset-7", outcome.Reasons[0]);
    }

    [Fact]
    public void Decide_FingerprintMatchAndWatermarkWithLedgerRecord_IsGeneratedByThisService()
    {
        var outcome = VerdictFusion.Decide(Evidence.Clean().WithFingerprintMatch().WithWatermark().WithLedgerMatch());
        Assert.Equal(Verdict.GeneratedByThisService, outcome.Verdict);
    }

    [Fact]
    public void Decide_FingerprintMatchAndInvalidCredentials_IsTampered()
    {
        var outcome = VerdictFusion.Decide(Evidence.Clean().WithFingerprintMatch().WithCredentials(CredentialsState.Invalid, false, Evidence.HashMismatch));
        Assert.Equal(Verdict.Tampered, outcome.Verdict);
    }

    [Fact]
    public void Decide_FingerprintMatchUnderAStrongerVerdict_IsGivenAsASupportingReason()
    {
        var outcome = VerdictFusion.Decide(Evidence.Clean().WithFingerprintMatch("asset-9").WithWatermark().WithLedgerMatch());
        Assert.Contains(outcome.Reasons.Skip(1), r => r.StartsWith("Perceptual fingerprints also match registered clip asset-9", StringComparison.Ordinal));
    }

    [Fact]
    public void Decide_LikelyDerived_NamesTheRecordAndHowManyFramesMatched()
    {
        var evidence = Evidence.Clean() with
        {
            Fingerprint = new FingerprintSection
            {
                Status = CheckStatus.Checked,
                FramesCompared = 40,
                MaxDistance = 10,
                Matches =
                [
                    new FingerprintMatch("00aa00aa00aa00aa", 3, 17) { LedgerIndex = 5, Generator = "svc/procedural", CreatedAt = new DateTimeOffset(2026, 11, 20, 9, 30, 0, TimeSpan.Zero) },
                    new FingerprintMatch("00bb00bb00bb00bb", 1, 2),
                ],
            },
        };
        var outcome = VerdictFusion.Decide(evidence);
        Assert.Equal(Verdict.LikelyDerived, outcome.Verdict);
        Assert.Contains("00aa00aa00aa00aa, registered 2026-11-20 09:30:00 UTC by svc/procedural, log entry 5", outcome.Reasons[0]);
        Assert.Contains("17 of 40 compared frames", outcome.Reasons[0]);
    }

    [Fact]
    public void Decide_InvalidCredentialsWhoseManifestTheLedgerRecords_IsTamperedAndSaysTheFileWasAlteredAfterGeneration()
    {
        var outcome = VerdictFusion.Decide(Evidence.Clean().WithCredentials(CredentialsState.Invalid, false, Evidence.HashMismatch)
            .WithLedgerMatch(matchedBy: "manifest", assetId: "asset-3"));
        Assert.Equal(Verdict.Tampered, outcome.Verdict);
        Assert.Contains(outcome.Reasons, r => r.Contains("ledger records its manifest (asset asset-3", StringComparison.Ordinal)
            && r.Contains("altered after it was generated", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0.5, Verdict.LikelySynthetic)]
    [InlineData(0.93, Verdict.LikelySynthetic)]
    [InlineData(0.49, Verdict.LikelyAuthentic)]
    public void Decide_OnlyTheClassifierSpeaks_ScoreAgainstThresholdDecides(double score, Verdict expected)
    {
        var outcome = VerdictFusion.Decide(Evidence.Clean(classifierScore: score, threshold: 0.5));
        Assert.Equal(expected, outcome.Verdict);
        Assert.Contains("threshold 0.5", outcome.Reasons[0]);
        Assert.Contains("1% false-positive rate", outcome.Reasons[0]);
    }

    [Fact]
    public void Decide_ClassifierAbstains_AbstainsWithItsReason()
    {
        var e = Evidence.Clean() with
        {
            Classifier = new ClassifierSection { Status = CheckStatus.Checked, Abstained = true, Reason = "the clip is too short (1 frame)" },
        };
        var outcome = VerdictFusion.Decide(e);
        Assert.Equal(Verdict.Abstain, outcome.Verdict);
        Assert.Contains("too short (1 frame)", outcome.Reasons[0]);
    }

    [Fact]
    public void Decide_ClassifierNotChecked_AbstainsAndEveryMissingPartIsListed()
    {
        var input = new InputSection { Status = CheckStatus.Checked };
        var outcome = VerdictFusion.Decide(ScanEvidence.NothingChecked(input, "not available in this build"));
        Assert.Equal(Verdict.Abstain, outcome.Verdict);
        Assert.Contains("not available in this build", outcome.Reasons[0]);
        Assert.Contains("Watermark not checked: not available in this build.", outcome.Reasons);
        Assert.Contains("Ledger not checked: not available in this build.", outcome.Reasons);
        Assert.Contains("Content Credentials not checked: not available in this build.", outcome.Reasons);
        Assert.Contains("Fingerprint index not checked: not available in this build.", outcome.Reasons);
    }

    [Fact]
    public void Decide_ClassifierError_AbstainsAndSaysItFailed()
    {
        var e = Evidence.Clean() with { Classifier = new ClassifierSection { Status = CheckStatus.Error, Reason = "session failed" } };
        var outcome = VerdictFusion.Decide(e);
        Assert.Equal(Verdict.Abstain, outcome.Verdict);
        Assert.Contains("classifier failed (session failed)", outcome.Reasons[0]);
    }

    [Fact]
    public void Decide_DecisiveVerdict_StillMentionsTheClassifierScore()
    {
        var outcome = VerdictFusion.Decide(Evidence.Clean(classifierScore: 0.12).WithWatermark().WithLedgerMatch());
        Assert.Contains(outcome.Reasons, r => r.Contains("scored the clip 0.12", StringComparison.Ordinal));
    }

    [Fact]
    public void Decide_SameEvidence_GivesTheSameOutcome()
    {
        var e = Evidence.Clean().WithFingerprintMatch().WithCredentials(CredentialsState.ValidUntrusted);
        Assert.Equal(VerdictFusion.Decide(e).Reasons, VerdictFusion.Decide(e).Reasons);
    }
}
