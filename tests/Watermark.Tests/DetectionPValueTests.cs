namespace Provenance.Watermark.Tests;

/// <summary>The detection p-value's shape: what each way to a passing check may claim, how deep a hypothesis's list may
/// go for its pilot score, and that the shares of all ranks stay within the budget.</summary>
public sealed class DetectionPValueTests
{
    private const double Threshold = 1e-9;
    private static readonly double Q = PayloadCodec.CheckFalsePassProbability;

    // The default search: 286 scales (0.45-1.4 in steps of 0.4 %) x 2 orientations x 51² shifts.
    private static readonly double DefaultHypotheses = 286.0 * 4 * 51 * 51;

    private static IEnumerable<double> Scores() => Enumerable.Range(0, 1001).Select(i => i / 100.0);

    /// <summary>The smallest score (on a 1e-4 grid) at which a pass at <paramref name="rank"/> is a detection.</summary>
    private static double FirstDetectingScore(int rank, double hypotheses) =>
        Enumerable.Range(0, 100_001).Select(i => i / 10_000.0)
            .First(z => TiledWatermarkExtractor.ListWordPValue(z, hypotheses, rank) <= Threshold);

    [Fact]
    public void EveryWay_IsNonIncreasingInThePilotScore()
    {
        foreach (var way in new Func<double, double>[]
        {
            z => TiledWatermarkExtractor.PilotPValue(z, DefaultHypotheses),
            z => TiledWatermarkExtractor.SingleWordPValue(z, DefaultHypotheses),
            z => TiledWatermarkExtractor.ListWordPValue(z, DefaultHypotheses, 1),
            z => TiledWatermarkExtractor.ListWordPValue(z, DefaultHypotheses, 1024),
        })
        {
            var previous = double.PositiveInfinity;
            foreach (var z in Scores())
            {
                var p = way(z);
                Assert.InRange(p, 0, 1);
                Assert.True(p <= previous, $"p rose from {previous:g3} to {p:g3} at z {z}");
                previous = p;
            }
        }
    }

    [Fact]
    public void SingleWord_PassingTheCheck_IsFoundAtAnyPilotScore()
    {
        foreach (var z in Scores())
        {
            var p = TiledWatermarkExtractor.SingleWordPValue(z, DefaultHypotheses);
            Assert.True(p <= Q, $"z {z}: p {p:g3}");
            Assert.True(p <= Threshold);
        }
    }

    [Fact]
    public void WithoutAPassingCheck_ThePValueIsThePilotTailOverTheSearch()
    {
        Assert.Equal(1.0, TiledWatermarkExtractor.PilotPValue(0, DefaultHypotheses));
        foreach (var z in new[] { 6.0, 7.0, 8.0 })
            Assert.Equal(DefaultHypotheses * RademacherTail.Bound(z), TiledWatermarkExtractor.PilotPValue(z, DefaultHypotheses), 1e-3 * DefaultHypotheses * RademacherTail.Bound(z));
    }

    [Fact]
    public void ListWord_IsChargedItsRankTimesTheHarmonicNumberTimesTheDecodedTail()
    {
        var h = Enumerable.Range(1, PayloadCodec.DeepListSize).Sum(r => 1.0 / r);
        Assert.Equal(h, TiledWatermarkExtractor.RankCharge, 12);
        foreach (var z in new[] { 4.0, 5.5, 6.2, 7.5 })
            foreach (var rank in new[] { 1, 16, 300, 1024 })
            {
                var decoded = Math.Min(TiledWatermarkExtractor.SyncCandidates, DefaultHypotheses * RademacherTail.Bound(z));
                var expected = Q * (1 + rank * h * decoded);
                Assert.Equal(expected, TiledWatermarkExtractor.ListWordPValue(z, DefaultHypotheses, rank), expected * 1e-12);
                // Never below one word's chance, and a deeper rank never claims more.
                Assert.True(TiledWatermarkExtractor.ListWordPValue(z, DefaultHypotheses, rank) > Q);
                Assert.True(TiledWatermarkExtractor.ListWordPValue(z, DefaultHypotheses, rank + 1) > TiledWatermarkExtractor.ListWordPValue(z, DefaultHypotheses, rank));
            }
    }

    [Fact]
    public void RankShares_AddUpToTheBudget()
    {
        // A pass at rank r is a detection at level α when min(S, M·T(z)) ≤ (α/q − 1)/(r·H); by the union over the
        // hypotheses that has probability ≤ q·(α/q − 1)/(r·H). Over every rank a list may reach, plus way (1)'s q, the
        // false-alarm probability must not exceed α.
        var total = Q + Enumerable.Range(1, PayloadCodec.DeepListSize)
            .Sum(r => Q * (Threshold / Q - 1) / (r * TiledWatermarkExtractor.RankCharge));
        Assert.InRange(total, Threshold * (1 - 1e-9), Threshold * (1 + 1e-9));
    }

    [Fact]
    public void PermittedListSize_IsTheDeepestRankWithinTheThreshold()
    {
        foreach (var z in Enumerable.Range(400, 301).Select(i => i / 100.0))
        {
            var size = TiledWatermarkExtractor.PermittedListSize(z, DefaultHypotheses, Threshold);
            Assert.InRange(size, 0, PayloadCodec.DeepListSize);
            if (size > 0) Assert.True(TiledWatermarkExtractor.ListWordPValue(z, DefaultHypotheses, size) <= Threshold, $"z {z}: rank {size} exceeds the threshold");
            if (size < PayloadCodec.DeepListSize)
                Assert.True(TiledWatermarkExtractor.ListWordPValue(z, DefaultHypotheses, size + 1) > Threshold, $"z {z}: rank {size + 1} would still pass");
        }
        // Unmarked content's best pilots (z 4-5) decode nothing on the list ways; strong pilots get the whole deep list.
        Assert.Equal(0, TiledWatermarkExtractor.PermittedListSize(4.8, DefaultHypotheses, Threshold));
        Assert.Equal(PayloadCodec.DeepListSize, TiledWatermarkExtractor.PermittedListSize(6.5, DefaultHypotheses, Threshold));
        Assert.Equal(0, TiledWatermarkExtractor.PermittedListSize(double.NaN, DefaultHypotheses, Threshold));
    }

    [Fact]
    public void ListPath_ReachesLowerScoresThanTheFixedListsDid()
    {
        // Before: 16 words from z 5.64 and 1,024 from z 6.7 (Hoeffding's tail, the deep lists gated at a fixed score).
        // Now, searching upright, mirrored and both quarter turns, the first word may pass from about 5.34, the 16th from
        // about 5.82 and the 1,024th from about 6.48 (5.21, 5.71 and 6.38 with the two orientations searched before).
        var first = FirstDetectingScore(1, DefaultHypotheses);
        var sixteenth = FirstDetectingScore(PayloadCodec.ListSize, DefaultHypotheses);
        var deepest = FirstDetectingScore(PayloadCodec.DeepListSize, DefaultHypotheses);
        Assert.InRange(first, 5.28, 5.4);
        Assert.InRange(sixteenth, 5.75, 5.9);
        Assert.InRange(deepest, 6.42, 6.55);
        Assert.InRange(FirstDetectingScore(PayloadCodec.DeepListSize, DefaultHypotheses / 2), 6.3, 6.45);
        Assert.True(first < sixteenth && sixteenth < deepest);
        // Searching more hypotheses raises every rank's score.
        Assert.True(FirstDetectingScore(PayloadCodec.ListSize, DefaultHypotheses * 2) > sixteenth);
    }
}
