namespace Provenance.Detector.Evaluation;

/// <summary>One point of a ROC curve: the rule "score ≥ <see cref="Threshold"/> means synthetic" and its rates.</summary>
public readonly record struct RocPoint(double Threshold, double FalsePositiveRate, double TruePositiveRate);

/// <summary>
/// Detection metrics over labelled scores, higher scores meaning "synthetic" (the positive class). Real items are
/// negatives, fake items positives; a score at or above the threshold counts as positive.
/// </summary>
public static class DetectionMetrics
{
    /// <summary>
    /// Area under the ROC curve: the probability that a random fake scores above a random real item, ties counting
    /// one half (the Mann-Whitney U statistic over |real|·|fake|, equal to the trapezoidal area of the ROC curve).
    /// </summary>
    public static double RocAuc(IReadOnlyList<double> real, IReadOnlyList<double> fake)
    {
        RequireBoth(real, fake);
        // Rank all scores together, averaging the ranks of ties; U = (sum of fake ranks) - n(n+1)/2.
        var all = new (double Score, bool Fake)[real.Count + fake.Count];
        for (var i = 0; i < real.Count; i++)
        {
            all[i] = (real[i], false);
        }
        for (var i = 0; i < fake.Count; i++)
        {
            all[real.Count + i] = (fake[i], true);
        }
        Array.Sort(all, (a, b) => a.Score.CompareTo(b.Score));
        double fakeRankSum = 0;
        for (var i = 0; i < all.Length;)
        {
            var j = i;
            while (j + 1 < all.Length && all[j + 1].Score == all[i].Score)
            {
                j++;
            }
            var averageRank = (i + j + 2) / 2.0; // ranks are 1-based
            for (var k = i; k <= j; k++)
            {
                if (all[k].Fake)
                {
                    fakeRankSum += averageRank;
                }
            }
            i = j + 1;
        }
        double n = fake.Count;
        return (fakeRankSum - n * (n + 1) / 2) / (n * real.Count);
    }

    /// <summary>
    /// The ROC curve: one point per distinct score (descending thresholds), starting at (0, 0) with an infinite
    /// threshold and ending at (1, 1).
    /// </summary>
    public static IReadOnlyList<RocPoint> RocCurve(IReadOnlyList<double> real, IReadOnlyList<double> fake)
    {
        RequireBoth(real, fake);
        var all = real.Select(s => (Score: s, Fake: false)).Concat(fake.Select(s => (Score: s, Fake: true)))
            .OrderByDescending(x => x.Score).ToArray();
        var points = new List<RocPoint> { new(double.PositiveInfinity, 0, 0) };
        int tp = 0, fp = 0;
        for (var i = 0; i < all.Length; i++)
        {
            if (all[i].Fake)
            {
                tp++;
            }
            else
            {
                fp++;
            }
            if (i + 1 == all.Length || all[i + 1].Score != all[i].Score)
            {
                points.Add(new RocPoint(all[i].Score, (double)fp / real.Count, (double)tp / fake.Count));
            }
        }
        return points;
    }

    /// <summary>
    /// Equal error rate: where the false-positive rate equals the false-negative rate, interpolated linearly along
    /// the ROC segment that crosses it. The threshold is that of the first ROC point at or past the crossing.
    /// </summary>
    public static (double Eer, double Threshold) EqualErrorRate(IReadOnlyList<double> real, IReadOnlyList<double> fake)
    {
        var roc = RocCurve(real, fake);
        for (var i = 1; i < roc.Count; i++)
        {
            var d = roc[i].FalsePositiveRate - (1 - roc[i].TruePositiveRate);
            if (d < 0)
            {
                continue;
            }
            var prev = roc[i - 1];
            var dPrev = prev.FalsePositiveRate - (1 - prev.TruePositiveRate);
            var t = d == dPrev ? 0 : -dPrev / (d - dPrev);
            var eer = prev.FalsePositiveRate + t * (roc[i].FalsePositiveRate - prev.FalsePositiveRate);
            return (eer, roc[i].Threshold);
        }
        return (0, roc[^1].Threshold); // unreachable: the last point has FPR 1, FNR 0
    }

    /// <summary>
    /// The lowest threshold whose false-positive rate on <paramref name="real"/> is at most <paramref name="targetFpr"/>,
    /// chosen among the observed scores (so it is a point of the ROC curve). With n real items the achievable rates
    /// are multiples of 1/n; a target below 1/n allows no false positive at all.
    /// </summary>
    public static double ThresholdForFpr(IReadOnlyList<double> real, IReadOnlyList<double> fake, double targetFpr)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(targetFpr);
        var best = double.PositiveInfinity;
        foreach (var p in RocCurve(real, fake))
        {
            if (p.FalsePositiveRate <= targetFpr + 1e-12)
            {
                best = p.Threshold;
            }
        }
        if (double.IsPositiveInfinity(best))
        {
            // No observed score keeps the rate: flag nothing at or below the highest real score.
            best = Math.BitIncrement(real.Max());
        }
        return best;
    }

    /// <summary>The true-positive rate of the ROC point with the highest TPR whose FPR is at most the target.</summary>
    public static double TprAtFpr(IReadOnlyList<double> real, IReadOnlyList<double> fake, double targetFpr) =>
        RocCurve(real, fake).Where(p => p.FalsePositiveRate <= targetFpr + 1e-12).Max(p => p.TruePositiveRate);

    /// <summary>All the figures at once, with the threshold calibrated for <paramref name="targetFpr"/>.</summary>
    public static EvaluationResult Evaluate(IReadOnlyList<double> real, IReadOnlyList<double> fake, double targetFpr = 0.01)
    {
        var (eer, eerThreshold) = EqualErrorRate(real, fake);
        return new EvaluationResult(
            Auc: RocAuc(real, fake),
            Eer: eer,
            EerThreshold: eerThreshold,
            TprAt1PctFpr: TprAtFpr(real, fake, 0.01),
            TprAt01PctFpr: TprAtFpr(real, fake, 0.001),
            Threshold: ThresholdForFpr(real, fake, targetFpr),
            TargetFpr: targetFpr,
            RealCount: real.Count,
            FakeCount: fake.Count);
    }

    private static void RequireBoth(IReadOnlyList<double> real, IReadOnlyList<double> fake)
    {
        if (real.Count == 0 || fake.Count == 0)
        {
            throw new ArgumentException("metrics need at least one real and one fake score");
        }
        if (real.Any(double.IsNaN) || fake.Any(double.IsNaN))
        {
            throw new ArgumentException("scores must not be NaN");
        }
    }
}

/// <summary>The figures of one evaluation run.</summary>
public sealed record EvaluationResult(
    double Auc, double Eer, double EerThreshold, double TprAt1PctFpr, double TprAt01PctFpr,
    double Threshold, double TargetFpr, int RealCount, int FakeCount);
