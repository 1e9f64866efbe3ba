namespace Provenance.Generator.Procedural;

/// <summary>
/// A palette ramp expanded to 256 entries in limited-range BT.709 Y'CbCr, so the renderer maps a texture
/// value to a pixel with three table look-ups.
/// </summary>
internal sealed class ColourRamp
{
    public ColourRamp(IReadOnlyList<Rgb> stops)
    {
        if (stops.Count < 2)
        {
            throw new ArgumentException("a ramp needs at least two colours", nameof(stops));
        }
        for (var i = 0; i < 256; i++)
        {
            var position = i / 255.0 * (stops.Count - 1);
            var k = Math.Min((int)position, stops.Count - 2);
            var c = Rgb.Lerp(stops[k], stops[k + 1], position - k);
            (Y[i], U[i], V[i]) = ToYuv(c);
        }
    }

    public int[] Y { get; } = new int[256];

    public int[] U { get; } = new int[256];

    public int[] V { get; } = new int[256];

    /// <summary>BT.709 limited range: Y in 16..235, Cb/Cr in 16..240.</summary>
    public static (int Y, int U, int V) ToYuv(Rgb c)
    {
        double r = c.R / 255.0, g = c.G / 255.0, b = c.B / 255.0;
        var y = 16 + 219 * (0.2126 * r + 0.7152 * g + 0.0722 * b);
        var u = 128 + 224 * (-0.1146 * r - 0.3854 * g + 0.5 * b);
        var v = 128 + 224 * (0.5 * r - 0.4542 * g - 0.0458 * b);
        return ((int)Math.Round(y), (int)Math.Round(u), (int)Math.Round(v));
    }
}
