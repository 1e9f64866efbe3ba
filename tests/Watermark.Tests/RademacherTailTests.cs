namespace Provenance.Watermark.Tests;

/// <summary>The tail bound under the extractor's p-values: the normal tail it is built on, and the bound itself against
/// exact tails of sums of random signs.</summary>
public sealed class RademacherTailTests
{
    [Theory]
    // Reference values of P(N ≥ z) (standard normal upper tail, 15 significant digits, from the C library's erfc).
    [InlineData(0.0, 0.5)]
    [InlineData(0.5, 0.308537538725987)]
    [InlineData(1.0, 0.158655253931457)]
    [InlineData(2.0, 0.0227501319481792)]
    [InlineData(2.999, 0.00135433653372711)]
    [InlineData(3.0, 0.0013498980316301)]
    [InlineData(4.0, 3.16712418331200e-5)]
    [InlineData(5.0, 2.86651571879195e-7)]
    [InlineData(6.0, 9.86587645037701e-10)]
    [InlineData(7.0, 1.27981254388583e-12)]
    [InlineData(8.0, 6.22096057427182e-16)]
    [InlineData(10.0, 7.61985302416059e-24)]
    [InlineData(-1.0, 0.841344746068543)]
    public void NormalUpperTail_MatchesReferenceValues(double z, double expected) =>
        Assert.Equal(1.0, RademacherTail.NormalUpperTail(z) / expected, 1e-11);

    [Fact]
    public void GaussianFactor_IsTheSmallestConstantOfTheInequality() =>
        Assert.Equal(3.17865556589, RademacherTail.GaussianFactor, 1e-9);

    [Fact]
    public void Bound_IsNeverAboveHoeffding_AndWellBelowItInTheTail()
    {
        var previous = 1.0;
        for (var i = 0; i <= 1000; i++)
        {
            var z = i / 100.0;
            var b = RademacherTail.Bound(z);
            Assert.InRange(b, 0, 1);
            Assert.True(b <= Math.Exp(-z * z / 2) * (1 + 1e-12), $"z {z}");
            Assert.True(b <= previous, $"bound rose at z {z}");
            previous = b;
        }
        // Beyond z ≈ 1.3 the Gaussian comparison is the smaller: about z / 1.27 times Hoeffding's.
        Assert.InRange(Math.Exp(-18) / RademacherTail.Bound(6), 4.5, 5.0);
        Assert.Equal(1.0, RademacherTail.Bound(0));
        Assert.Equal(1.0, RademacherTail.Bound(-3));
        Assert.Equal(1.0, RademacherTail.Bound(double.NaN));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(17)]
    [InlineData(85)]
    [InlineData(400)]
    public void Bound_HoldsForTheExactTailOfEqualWeights(int n)
    {
        // Σ εᵢ/√n ≥ z exactly when at least k of the n signs are +1, k = ⌈(n + z√n)/2⌉: a binomial tail, computed exactly
        // in logarithms. Equal weights are where the Gaussian comparison is tightest (n = 2 at z = √2 meets it).
        var logChoose = new double[n + 1];
        for (var k = 1; k <= n; k++) logChoose[k] = logChoose[k - 1] + Math.Log((double)(n - k + 1) / k);
        for (var plus = n; plus >= 0; plus--)
        {
            var z = (2.0 * plus - n) / Math.Sqrt(n);
            if (z <= 0) break;
            double tail = 0;
            for (var k = plus; k <= n; k++) tail += Math.Exp(logChoose[k] - n * Math.Log(2));
            Assert.True(tail <= RademacherTail.Bound(z) * (1 + 1e-9), $"n {n}, z {z:f3}: exact {tail:g6} above the bound {RademacherTail.Bound(z):g6}");
        }
        if (n == 2) Assert.Equal(0.25, RademacherTail.Bound(Math.Sqrt(2)), 1e-12);
    }

    [Fact]
    public void Bound_HoldsEmpiricallyForUnequalWeights()
    {
        // Weights like cell sums of real content (a few large, many small): the share of random sign draws reaching z
        // stays below the bound at every z where the count is large enough to mean something.
        var rng = new Random(7);
        var a = Enumerable.Range(0, 85).Select(i => Math.Exp(rng.NextDouble() * 3) * (rng.Next(2) * 2 - 1)).ToArray();
        var norm = Math.Sqrt(a.Sum(x => x * x));
        const int draws = 400_000;
        var scores = new double[draws];
        for (var d = 0; d < draws; d++)
        {
            double s = 0;
            for (var i = 0; i < a.Length; i++) s += rng.Next(2) == 0 ? a[i] : -a[i];
            scores[d] = s / norm;
        }
        foreach (var z in new[] { 1.0, 2.0, 3.0, 3.5 })
        {
            var share = scores.Count(s => s >= z) / (double)draws;
            // Allow three binomial standard deviations of the estimate.
            var slack = 3 * Math.Sqrt(RademacherTail.Bound(z) / draws);
            Assert.True(share <= RademacherTail.Bound(z) + slack, $"z {z}: share {share:g4} above the bound {RademacherTail.Bound(z):g4}");
        }
    }
}
