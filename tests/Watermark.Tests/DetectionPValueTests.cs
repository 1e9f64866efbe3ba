namespace Provenance.Watermark.Tests;

/// <summary>The detection p-value's shape: what each way to a passing check may claim, and where the list path's pilot
/// gate sits for the default search.</summary>
public sealed class DetectionPValueTests
{
    private const double Threshold = 1e-9;

    // The default search: 286 scales (0.45-1.4 in steps of 0.4 %) x 2 orientations x 51² shifts.
    private static readonly double DefaultHypotheses = 286.0 * 2 * 51 * 51;

    private static IEnumerable<double> Scores() => Enumerable.Range(0, 1001).Select(i => i / 100.0);

    [Fact]
    public void EveryWay_IsNonIncreasingInThePilotScore()
    {
        foreach (var way in new bool?[] { null, true, false })
        {
            var previous = double.PositiveInfinity;
            foreach (var z in Scores())
            {
                var p = TiledWatermarkExtractor.DetectionPValue(z, DefaultHypotheses, way);
                Assert.InRange(p, 0, 1);
                Assert.True(p <= previous, $"way {way}: p rose from {previous:g3} to {p:g3} at z {z}");
                previous = p;
            }
        }
    }

    [Fact]
    public void SingleWord_PassingTheCheck_IsFoundAtAnyPilotScore()
    {
        foreach (var z in Scores())
        {
            var p = TiledWatermarkExtractor.DetectionPValue(z, DefaultHypotheses, true);
            Assert.True(p <= PayloadCodec.CheckFalsePassProbability, $"z {z}: p {p:g3}");
            Assert.True(p <= Threshold);
        }
    }

    [Fact]
    public void ListPath_NeverClaimsLessThanTheSingleWordFloor_NorMoreThanEveryWordOffered()
    {
        var q = PayloadCodec.CheckFalsePassProbability;
        foreach (var z in Scores())
        {
            var p = TiledWatermarkExtractor.DetectionPValue(z, DefaultHypotheses, false);
            Assert.True(p > q, $"z {z}: p {p:g3} is below one word's chance");
            Assert.True(p <= q * (1 + TiledWatermarkExtractor.SyncCandidates * PayloadCodec.DeepListSize) * (1 + 1e-12), $"z {z}: p {p:g3} exceeds every offered word");
        }
    }

    [Fact]
    public void ListPath_GateSitsWhereTheUnionOverHypothesesReachesTheBudget()
    {
        // Solve q · (1 + ListSize · M · exp(-z²/2) + deep) = 1e-9 for z, where deep = (DeepListSize − ListSize) · M ·
        // exp(-z_D²/2) is what the deep lists of hypotheses with pilots ≥ z_D add, and find the first score on a fine
        // grid that passes.
        var q = PayloadCodec.CheckFalsePassProbability;
        var zd = TiledWatermarkExtractor.DeepListMinimumScore;
        var deep = (PayloadCodec.DeepListSize - PayloadCodec.ListSize) * DefaultHypotheses * Math.Exp(-zd * zd / 2);
        Assert.InRange(deep, 0.05, 0.5);
        var expected = Math.Sqrt(2 * Math.Log(PayloadCodec.ListSize * DefaultHypotheses / (Threshold / q - 1 - deep)));
        var firstPassing = Enumerable.Range(0, 100_001).Select(i => i / 10_000.0)
            .First(z => TiledWatermarkExtractor.DetectionPValue(z, DefaultHypotheses, false) <= Threshold);
        Assert.InRange(firstPassing, expected - 1e-4, expected + 1e-4);
        // Tighter than holding each way to half the budget with every list word of every decoded hypothesis counted
        // (the gate before: 2 · 96 words → z ≥ 6.0).
        Assert.InRange(firstPassing, 5.55, 5.7);
        // Searching more hypotheses raises the gate.
        var wider = Enumerable.Range(0, 100_001).Select(i => i / 10_000.0)
            .First(z => TiledWatermarkExtractor.DetectionPValue(z, DefaultHypotheses * 2, false) <= Threshold);
        Assert.True(wider > firstPassing);
    }

    [Fact]
    public void ListPath_AboveTheDeepListScore_ChargesEveryDeepWordOfEveryHypothesisThatHigh()
    {
        var q = PayloadCodec.CheckFalsePassProbability;
        var zd = TiledWatermarkExtractor.DeepListMinimumScore;
        foreach (var z in new[] { zd, zd + 0.3, 8.0 })
        {
            var union = PayloadCodec.DeepListSize * DefaultHypotheses * Math.Exp(-z * z / 2);
            Assert.Equal(q * (1 + union), TiledWatermarkExtractor.DetectionPValue(z, DefaultHypotheses, false), 1e-22);
        }
        // Below it, the deep lists (which only hypotheses at z_D or more get) still count, at z_D's tail.
        var below = TiledWatermarkExtractor.DetectionPValue(zd - 0.5, DefaultHypotheses, false);
        var shortOnly = q * (1 + PayloadCodec.ListSize * DefaultHypotheses * Math.Exp(-(zd - 0.5) * (zd - 0.5) / 2));
        Assert.True(below > shortOnly * (1 + 1e-9), $"{below:g6} vs {shortOnly:g6}");
    }

    [Fact]
    public void WithoutAPassingCheck_ThePValueIsThePilotTailOverTheSearch()
    {
        Assert.Equal(1.0, TiledWatermarkExtractor.DetectionPValue(0, DefaultHypotheses, null));
        var z = 7.0;
        Assert.Equal(DefaultHypotheses * Math.Exp(-z * z / 2), TiledWatermarkExtractor.DetectionPValue(z, DefaultHypotheses, null), 12);
    }
}
