using System.Globalization;
using System.Text;

namespace Provenance.Formats.Cbor;

// RFC 8949 §8 diagnostic notation.
internal static class CborDiagnostic
{
    public static void Append(StringBuilder builder, CborValue value)
    {
        switch (value)
        {
            case CborInteger integer:
                builder.Append(integer.IsNegative ? "-" + ((UInt128)integer.Magnitude + 1) : integer.Magnitude.ToString(CultureInfo.InvariantCulture));
                break;
            case CborByteString bytes:
                builder.Append("h'").Append(Convert.ToHexStringLower(bytes.Value)).Append('\'');
                break;
            case CborTextString text:
                AppendText(builder, text.Value);
                break;
            case CborFloat number:
                builder.Append(FormatFloat(number.Value));
                break;
            case CborSimpleValue simple:
                builder.Append(simple.Value switch
                {
                    20 => "false",
                    21 => "true",
                    22 => "null",
                    23 => "undefined",
                    _ => $"simple({simple.Value})",
                });
                break;
            case CborTag tag:
                builder.Append(tag.Tag).Append('(');
                Append(builder, tag.Content);
                builder.Append(')');
                break;
            case CborArray array:
                builder.Append('[');
                for (int i = 0; i < array.Count; i++)
                {
                    if (i > 0)
                        builder.Append(", ");
                    Append(builder, array[i]);
                }
                builder.Append(']');
                break;
            case CborMap map:
                builder.Append('{');
                bool first = true;
                foreach (var (key, item) in map)
                {
                    if (!first)
                        builder.Append(", ");
                    first = false;
                    Append(builder, key);
                    builder.Append(": ");
                    Append(builder, item);
                }
                builder.Append('}');
                break;
        }
    }

    private static void AppendText(StringBuilder builder, string text)
    {
        builder.Append('"');
        foreach (char c in text)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    if (c < 0x20 || c > 0x7E)
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else
                        builder.Append(c);
                    break;
            }
        }
        builder.Append('"');
    }

    private static string FormatFloat(double value)
    {
        if (double.IsNaN(value))
            return "NaN";
        if (double.IsPositiveInfinity(value))
            return "Infinity";
        if (double.IsNegativeInfinity(value))
            return "-Infinity";
        string text = value.ToString("R", CultureInfo.InvariantCulture);
        int exponentAt = text.IndexOf('E');
        string mantissa = exponentAt < 0 ? text : text[..exponentAt];
        if (!mantissa.Contains('.'))
            mantissa += ".0";
        if (exponentAt < 0)
            return mantissa;
        int exponent = int.Parse(text[(exponentAt + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        return mantissa + "e" + (exponent < 0 ? "-" : "+") + Math.Abs(exponent).ToString(CultureInfo.InvariantCulture);
    }
}
