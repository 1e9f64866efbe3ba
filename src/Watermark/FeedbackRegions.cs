namespace Provenance.Watermark;

/// <summary>Centred rectangular regions for region-wise host feedback: a pixel's region follows its distance from the
/// frame centre, d = max(|2x/W − 1|, |2y/H − 1|) (0 at the centre, 1 at the edge), so a centred crop to a fraction f of
/// the width and height keeps exactly the regions within d &lt; f.</summary>
internal static class FeedbackRegions
{
    /// <summary>Outer bounds of the inner regions (the last region reaches the edge), by number of regions.</summary>
    private static readonly double[][] BoundsOf = [[], [], [0.8], [0.55, 0.8]];

    /// <summary>Half-width (in d) of the cross-fade between neighbouring regions' patterns.</summary>
    private const double Blend = 0.02;

    /// <summary>The regions in use: one when host feedback is off (every amplitude is 1 anyway, and the pattern is then
    /// exactly the plain one).</summary>
    public static int Count(WatermarkOptions options) =>
        options.HostCancellation > 0 ? Math.Clamp(options.FeedbackRegions, 1, BoundsOf.Length - 1) : 1;

    /// <summary>Normalised distance from the centre of the pixel at <paramref name="i"/> along an axis of <paramref name="length"/>.</summary>
    public static double Distance(int i, int length) => Math.Abs(2 * (i + 0.5) / length - 1);

    public static int Of(double d, int count)
    {
        if (count == 1) return 0;
        var bounds = BoundsOf[count];
        var k = 0;
        while (k < bounds.Length && d >= bounds[k]) k++;
        return k;
    }

    /// <summary>Weight of region <paramref name="k"/> at distance d: 1 inside it, cross-faded linearly over ±Blend at its
    /// bounds; the weights of all regions add up to 1.</summary>
    public static float Weight(double d, int k, int count)
    {
        if (count == 1) return 1;
        var bounds = BoundsOf[count];
        var lower = k == 0 ? 1 : Ramp(d, bounds[k - 1]);
        var upper = k == bounds.Length ? 0 : Ramp(d, bounds[k]);
        return (float)(lower - upper);
    }

    /// <summary>0 well inside the bound, 1 well outside it.</summary>
    private static double Ramp(double d, double bound) => Math.Clamp((d - bound + Blend) / (2 * Blend), 0, 1);
}
