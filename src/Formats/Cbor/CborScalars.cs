namespace Provenance.Formats.Cbor;

/// <summary>An integer in CBOR's full range: -2^64 .. 2^64-1 (value = negative ? -1 - magnitude : magnitude).</summary>
public sealed class CborInteger : CborValue
{
    public CborInteger(long value)
    {
        IsNegative = value < 0;
        Magnitude = value < 0 ? (ulong)(-1 - value) : (ulong)value;
    }

    public CborInteger(ulong magnitude, bool isNegative)
    {
        Magnitude = magnitude;
        IsNegative = isNegative;
    }

    public override CborValueKind Kind => CborValueKind.Integer;

    public bool IsNegative { get; }

    /// <summary>The CBOR argument: the value itself when non-negative, else -1 - value.</summary>
    public ulong Magnitude { get; }

    public override void WriteTo(CborWriter writer)
    {
        if (IsNegative)
            writer.WriteNegativeIntegerArgument(Magnitude);
        else
            writer.WriteUInt64(Magnitude);
    }

    public override bool Equals(CborValue? other) =>
        other is CborInteger integer && integer.IsNegative == IsNegative && integer.Magnitude == Magnitude;

    public override int GetHashCode() => HashCode.Combine(IsNegative, Magnitude);
}

public sealed class CborByteString(byte[] value) : CborValue
{
    public override CborValueKind Kind => CborValueKind.ByteString;

    public byte[] Value { get; } = value ?? throw new ArgumentNullException(nameof(value));

    public override void WriteTo(CborWriter writer) => writer.WriteByteString(Value);

    public override bool Equals(CborValue? other) => other is CborByteString bytes && bytes.Value.AsSpan().SequenceEqual(Value);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(Value);
        return hash.ToHashCode();
    }
}

public sealed class CborTextString(string value) : CborValue
{
    public override CborValueKind Kind => CborValueKind.TextString;

    public string Value { get; } = value ?? throw new ArgumentNullException(nameof(value));

    public override void WriteTo(CborWriter writer) => writer.WriteTextString(Value);

    public override bool Equals(CborValue? other) => other is CborTextString text && string.Equals(text.Value, Value, StringComparison.Ordinal);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);
}

/// <summary>A simple value: false (20), true (21), null (22), undefined (23) or an unassigned one.</summary>
public sealed class CborSimpleValue : CborValue
{
    public CborSimpleValue(byte value)
    {
        if (value is >= 24 and < 32)
            throw new ArgumentOutOfRangeException(nameof(value), "simple values 24-31 are reserved");
        Value = value;
    }

    public override CborValueKind Kind => CborValueKind.Simple;

    public byte Value { get; }

    public override void WriteTo(CborWriter writer) => writer.WriteSimpleValue(Value);

    public override bool Equals(CborValue? other) => other is CborSimpleValue simple && simple.Value == Value;

    public override int GetHashCode() => Value;
}

/// <summary>A floating-point value; encoded in the shortest precision that keeps it exactly.</summary>
public sealed class CborFloat(double value) : CborValue
{
    public override CborValueKind Kind => CborValueKind.Float;

    public double Value { get; } = value;

    public override void WriteTo(CborWriter writer) => writer.WriteDouble(Value);

    public override bool Equals(CborValue? other) =>
        other is CborFloat number && (BitConverter.DoubleToInt64Bits(number.Value) == BitConverter.DoubleToInt64Bits(Value)
            || (double.IsNaN(number.Value) && double.IsNaN(Value)));

    public override int GetHashCode() => double.IsNaN(Value) ? 0 : Value.GetHashCode();
}

/// <summary>A tagged data item.</summary>
public sealed class CborTag(ulong tag, CborValue content) : CborValue
{
    public override CborValueKind Kind => CborValueKind.Tag;

    public ulong Tag { get; } = tag;

    public CborValue Content { get; } = content ?? throw new ArgumentNullException(nameof(content));

    public override void WriteTo(CborWriter writer)
    {
        writer.WriteTag(Tag);
        Content.WriteTo(writer);
    }

    public override bool Equals(CborValue? other) => other is CborTag tagged && tagged.Tag == Tag && tagged.Content.Equals(Content);

    public override int GetHashCode() => HashCode.Combine(Tag, Content);
}
