using Provenance.Detector.Evaluation;

namespace Provenance.Detector.Tests.Evaluation;

// Expected values are worked out by hand in the comments (the same numbers scikit-learn's roc_auc_score and
// roc_curve give for these inputs).
public sealed class DetectionMetricsTests
{
    private const double Tol = 1e-12;

    // real {0.1, 0.4}, fake {0.35, 0.8}: pairs fake>real are (0.35,0.1), (0.8,0.1), (0.8,0.4) → 3 of 4.
    private static readonly double[] RealA = [0.1, 0.4];
    private static readonly double[] FakeA = [0.35, 0.8];

    // real {0.5, 0.2, 0.2}, fake {0.5, 0.9}: fake 0.5 ties one real (½) and beats two (2); fake 0.9 beats three → 5.5/6.
    private static readonly double[] RealTies = [0.5, 0.2, 0.2];
    private static readonly double[] FakeTies = [0.5, 0.9];

    [Fact]
    public void RocAuc_CountsPairsWhereFakeOutscoresReal()
    {
        Assert.Equal(0.75, DetectionMetrics.RocAuc(RealA, FakeA), Tol);
    }

    [Fact]
    public void RocAuc_CountsTiesAsHalf()
    {
        Assert.Equal(5.5 / 6, DetectionMetrics.RocAuc(RealTies, FakeTies), Tol);
    }

    [Fact]
    public void RocAuc_AllTied_IsOneHalf()
    {
        Assert.Equal(0.5, DetectionMetrics.RocAuc([0.3, 0.3, 0.3], [0.3, 0.3]), Tol);
    }

    [Fact]
    public void RocAuc_PerfectSeparationAndInverted_AreOneAndZero()
    {
        Assert.Equal(1.0, DetectionMetrics.RocAuc([0.1, 0.2], [0.8, 0.9]), Tol);
        Assert.Equal(0.0, DetectionMetrics.RocAuc([0.8, 0.9], [0.1, 0.2]), Tol);
    }

    [Fact]
    public void RocAuc_EqualsTrapezoidalAreaOfTheRocCurve()
    {
        var rng = new Random(7);
        var real = Enumerable.Range(0, 200).Select(_ => Math.Round(rng.NextDouble(), 2)).ToArray();
        var fake = Enumerable.Range(0, 150).Select(_ => Math.Round(Math.Sqrt(rng.NextDouble()), 2)).ToArray();
        var roc = DetectionMetrics.RocCurve(real, fake);
        double area = 0;
        for (var i = 1; i < roc.Count; i++)
        {
            area += (roc[i].FalsePositiveRate - roc[i - 1].FalsePositiveRate) * (roc[i].TruePositiveRate + roc[i - 1].TruePositiveRate) / 2;
        }
        Assert.Equal(area, DetectionMetrics.RocAuc(real, fake), 1e-9);
    }

    [Fact]
    public void RocCurve_HasOnePointPerDistinctScoreFromOriginToOneOne()
    {
        // Thresholds 0.9 → (0, ½); 0.5 → (⅓, 1); 0.2 → (1, 1).
        var roc = DetectionMetrics.RocCurve(RealTies, FakeTies);
        Assert.Equal(4, roc.Count);
        Assert.Equal(new RocPoint(double.PositiveInfinity, 0, 0), roc[0]);
        Assert.Equal(new RocPoint(0.9, 0, 0.5), roc[1]);
        Assert.Equal(0.5, roc[2].Threshold);
        Assert.Equal(1.0 / 3, roc[2].FalsePositiveRate, Tol);
        Assert.Equal(1.0, roc[2].TruePositiveRate, Tol);
        Assert.Equal(new RocPoint(0.2, 1, 1), roc[3]);
    }

    [Fact]
    public void EqualErrorRate_OnARocPoint_IsThatPointsRate()
    {
        // Points (0,0), (0,½), (½,½) at threshold 0.4: FPR = FNR = ½ exactly.
        var (eer, threshold) = DetectionMetrics.EqualErrorRate(RealA, FakeA);
        Assert.Equal(0.5, eer, Tol);
        Assert.Equal(0.4, threshold);
    }

    [Fact]
    public void EqualErrorRate_BetweenPoints_IsInterpolatedOnTheSegment()
    {
        // From (0, ½) where FPR−FNR = −½ to (⅓, 1) where it is ⅓: t = ½ / (½+⅓) = 0.6, EER = 0.6·⅓ = 0.2.
        var (eer, threshold) = DetectionMetrics.EqualErrorRate(RealTies, FakeTies);
        Assert.Equal(0.2, eer, Tol);
        Assert.Equal(0.5, threshold);
    }

    [Fact]
    public void EqualErrorRate_PerfectSeparation_IsZero()
    {
        Assert.Equal(0.0, DetectionMetrics.EqualErrorRate([0.1, 0.2], [0.8, 0.9]).Eer, Tol);
    }

    [Fact]
    public void TprAtFpr_TakesTheBestPointWithinTheRate()
    {
        Assert.Equal(0.5, DetectionMetrics.TprAtFpr(RealA, FakeA, 0.01), Tol);
        Assert.Equal(1.0, DetectionMetrics.TprAtFpr(RealA, FakeA, 0.5), Tol);
        Assert.Equal(0.5, DetectionMetrics.TprAtFpr(RealTies, FakeTies, 0.3), Tol);
        Assert.Equal(1.0, DetectionMetrics.TprAtFpr(RealTies, FakeTies, 1.0 / 3), Tol);
    }

    [Fact]
    public void ThresholdForFpr_OneInAHundredReals_LetsExactlyOneRealThrough()
    {
        // 100 reals 0..99 and ten fakes 94.5..103.5. The lowest ROC point with at most one real over the line is
        // the fake at 98.5 (only the real 99 is above it); allowing none (0.1% of 100) stops at the fake 99.5.
        var real = Enumerable.Range(0, 100).Select(i => (double)i).ToArray();
        var fake = Enumerable.Range(0, 10).Select(i => 94.5 + i).ToArray();
        var t = DetectionMetrics.ThresholdForFpr(real, fake, 0.01);
        Assert.Equal(98.5, t);
        Assert.Equal(1, real.Count(s => s >= t));
        var strict = DetectionMetrics.ThresholdForFpr(real, fake, 0.001);
        Assert.Equal(99.5, strict);
        Assert.Equal(0, real.Count(s => s >= strict));
    }

    [Fact]
    public void ThresholdForFpr_NoScoreAboveTheReals_FlagsNothingAtOrBelowTheHighestReal()
    {
        var t = DetectionMetrics.ThresholdForFpr([0.2, 0.9], [0.1, 0.5], 0.0);
        Assert.True(t > 0.9);
        Assert.True(t < 0.9 + 1e-12);
    }

    [Fact]
    public void Evaluate_GathersAllFigures()
    {
        var r = DetectionMetrics.Evaluate(RealTies, FakeTies, targetFpr: 0.34);
        Assert.Equal(5.5 / 6, r.Auc, Tol);
        Assert.Equal(0.2, r.Eer, Tol);
        Assert.Equal(0.5, r.TprAt1PctFpr, Tol);
        Assert.Equal(0.5, r.TprAt01PctFpr, Tol);
        Assert.Equal(0.5, r.Threshold);
        Assert.Equal((3, 2), (r.RealCount, r.FakeCount));
    }

    [Fact]
    public void Metrics_WithoutBothClasses_AreRefused()
    {
        Assert.Throws<ArgumentException>(() => DetectionMetrics.RocAuc([], [0.5]));
        Assert.Throws<ArgumentException>(() => DetectionMetrics.Evaluate([0.5], []));
        Assert.Throws<ArgumentException>(() => DetectionMetrics.RocAuc([double.NaN], [0.5]));
    }
}
