using System.Globalization;

namespace Provenance.Watermark;

/// <summary>The 64-bit asset id a mark carries, written as 16 lowercase hex digits.</summary>
public static class WatermarkPayload
{
    public static string ToHex(ulong payload) => payload.ToString("x16", CultureInfo.InvariantCulture);

    /// <summary>Parses 1-16 hex digits (an optional 0x prefix is accepted).</summary>
    public static bool TryParseHex(string? text, out ulong payload)
    {
        payload = 0;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.Trim();
        if (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) s = s[2..];
        return s.Length is > 0 and <= 16 && ulong.TryParse(s, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out payload);
    }

    public static ulong ParseHex(string text) =>
        TryParseHex(text, out var p) ? p : throw new FormatException("A watermark payload is 1-16 hexadecimal digits.");
}
