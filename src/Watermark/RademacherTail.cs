namespace Provenance.Watermark;

/// <summary>
/// How likely a normalised sum of random signs is to reach a score: the bound under every p-value of the extractor.
/// Under "no mark of this key" the pilot statistic Z = Σ wᵢ vᵢ / √(Σ vᵢ²) is such a sum: whatever the content vᵢ, the
/// keyed signs wᵢ are independent fair ±1. Two bounds hold for every choice of vᵢ, and the smaller is taken:
/// Hoeffding's, P(Z ≥ z) ≤ exp(-z²/2), and Bentkus and Dzindzalieta's (Bernoulli 21(2), 2015, 1231-1237),
/// P(Z ≥ z) ≤ c·P(N ≥ z) with N standard normal and the smallest constant that holds for all z and all weights,
/// c = 1 / (4·P(N ≥ √2)) ≈ 3.1787. The second is about z/1.27 times smaller beyond z ≈ 1.3 (4.7x at z = 6).
/// </summary>
public static class RademacherTail
{
    /// <summary>c = 1 / (4·P(N ≥ √2)).</summary>
    public static readonly double GaussianFactor = 1 / (4 * NormalUpperTail(Math.Sqrt(2)));

    /// <summary>Upper bound on P(Σ wᵢ aᵢ ≥ z) for independent fair signs wᵢ and Σ aᵢ² ≤ 1.</summary>
    public static double Bound(double z)
    {
        if (double.IsNaN(z)) return 1;
        if (z <= 0) return 1;
        return Math.Min(1, Math.Min(Math.Exp(-z * z / 2), GaussianFactor * NormalUpperTail(z)));
    }

    /// <summary>P(N ≥ z) for a standard normal N, to about 1e-14 relative accuracy over the whole range.</summary>
    public static double NormalUpperTail(double z)
    {
        if (double.IsNaN(z)) return double.NaN;
        if (z < 0) return 1 - NormalUpperTail(-z);
        if (z < 3)
        {
            // 1/2 − ∫₀^z φ: the Taylor series of erf(z/√2), whose terms alternate and shrink from n ≈ z²/2 on.
            var x = z / Math.Sqrt(2);
            var x2 = x * x;
            double term = x, sum = x;
            for (var n = 1; n < 200; n++)
            {
                term *= -x2 / n;
                var add = term / (2 * n + 1);
                sum += add;
                if (Math.Abs(add) < 1e-17 * Math.Abs(sum)) break;
            }
            return 0.5 - sum / Math.Sqrt(Math.PI);
        }
        // Laplace's continued fraction for the Mills ratio: P(N ≥ z) = φ(z) / (z + 1/(z + 2/(z + 3/(z + …)))),
        // evaluated from a deep tail upwards (200 levels are far more than z ≥ 3 needs for double precision).
        var f = z;
        for (var k = 200; k >= 1; k--) f = z + k / f;
        return Math.Exp(-z * z / 2) / Math.Sqrt(2 * Math.PI) / f;
    }
}
