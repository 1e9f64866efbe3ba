using System.Globalization;

namespace Provenance.Media;

/// <summary>A frame rate or time base as ffmpeg writes it ("30000/1001"); zero denominators mean "unknown".</summary>
public readonly record struct Rational(long Numerator, long Denominator)
{
    public static Rational Zero => new(0, 1);

    public bool IsValid => Numerator > 0 && Denominator > 0;

    public double ToDouble() => Denominator == 0 ? 0 : (double)Numerator / Denominator;

    /// <summary>Parses "num/den" or a decimal ("29.97"); returns <see cref="Zero"/> for anything unreadable.</summary>
    public static Rational Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Zero;
        }
        var slash = text.IndexOf('/');
        if (slash > 0)
        {
            if (long.TryParse(text.AsSpan(0, slash), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
                && long.TryParse(text.AsSpan(slash + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var d)
                && n >= 0 && d > 0)
            {
                return new Rational(n, d);
            }
            return Zero;
        }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0 && value < 1e6)
        {
            return FromDouble(value);
        }
        return Zero;
    }

    /// <summary>An exact rational for whole numbers and the NTSC rates, else millis precision.</summary>
    public static Rational FromDouble(double value)
    {
        if (Math.Abs(value - Math.Round(value)) < 1e-9)
        {
            return new Rational((long)Math.Round(value), 1);
        }
        foreach (var ntsc in new[] { 24, 30, 60, 120 })
        {
            if (Math.Abs(value - ntsc * 1000.0 / 1001) < 1e-3)
            {
                return new Rational(ntsc * 1000, 1001);
            }
        }
        return new Rational((long)Math.Round(value * 1000), 1000);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Numerator}/{Denominator}");
}
