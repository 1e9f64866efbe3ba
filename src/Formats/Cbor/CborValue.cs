namespace Provenance.Formats.Cbor;

/// <summary>What kind of data item a <see cref="CborValue"/> is.</summary>
public enum CborValueKind
{
    Integer,
    ByteString,
    TextString,
    Array,
    Map,
    Tag,
    Simple,
    Float,
}

/// <summary>
/// An immutable-by-convention CBOR data item tree. Decoding accepts any map key order; encoding is
/// always deterministic. Typed accessors throw <see cref="CborException"/> (UnexpectedType) on a mismatch,
/// so code reading hostile data needs to handle one exception type only.
/// </summary>
public abstract partial class CborValue : IEquatable<CborValue>
{
    private protected CborValue()
    {
    }

    public abstract CborValueKind Kind { get; }

    public static CborValue Null { get; } = new CborSimpleValue(22);

    public static CborValue Undefined { get; } = new CborSimpleValue(23);

    public static CborValue True { get; } = new CborSimpleValue(21);

    public static CborValue False { get; } = new CborSimpleValue(20);

    /// <summary>Decodes exactly one data item; trailing bytes, duplicate keys and excess nesting are rejected.</summary>
    public static CborValue Decode(ReadOnlyMemory<byte> encoded, CborReaderOptions? options = null)
    {
        var reader = new CborReader(encoded, options);
        return Read(reader);
    }

    /// <summary>Reads the next data item from a reader (iteratively: nesting depth does not use the call stack).</summary>
    public static CborValue Read(CborReader reader) => CborValueReader.ReadValue(reader);

    /// <summary>The deterministic encoding of this value.</summary>
    public byte[] Encode()
    {
        var writer = new CborWriter();
        WriteTo(writer);
        return writer.Encode();
    }

    /// <summary>Writes this value to a writer.</summary>
    public abstract void WriteTo(CborWriter writer);

    /// <summary>RFC 8949 §8 diagnostic notation.</summary>
    public override string ToString()
    {
        var builder = new System.Text.StringBuilder();
        CborDiagnostic.Append(builder, this);
        return builder.ToString();
    }

    public bool IsNull => this is CborSimpleValue { Value: 22 };

    public CborMap AsMap() => this as CborMap ?? throw Mismatch("a map");

    public CborArray AsArray() => this as CborArray ?? throw Mismatch("an array");

    public string AsText() => (this as CborTextString)?.Value ?? throw Mismatch("a text string");

    public byte[] AsBytes() => (this as CborByteString)?.Value ?? throw Mismatch("a byte string");

    public CborTag AsTag() => this as CborTag ?? throw Mismatch("a tag");

    public double AsDouble() => (this as CborFloat)?.Value ?? throw Mismatch("a float");

    public bool AsBoolean() => this is CborSimpleValue { Value: 20 or 21 } simple
        ? simple.Value == 21
        : throw Mismatch("a boolean");

    public long AsInt64()
    {
        if (this is not CborInteger integer)
            throw Mismatch("an integer");
        if (integer.Magnitude > long.MaxValue)
            throw new CborException(CborErrorKind.LimitExceeded, "integer does not fit a 64-bit signed value");
        return integer.IsNegative ? -1 - (long)integer.Magnitude : (long)integer.Magnitude;
    }

    public int AsInt32()
    {
        long value = AsInt64();
        if (value is < int.MinValue or > int.MaxValue)
            throw new CborException(CborErrorKind.LimitExceeded, "integer does not fit a 32-bit signed value");
        return (int)value;
    }

    public ulong AsUInt64() => this is CborInteger { IsNegative: false } integer
        ? integer.Magnitude
        : throw Mismatch("an unsigned integer");

    private CborException Mismatch(string expected) =>
        new(CborErrorKind.UnexpectedType, $"expected {expected} but found {Kind.ToString().ToLowerInvariant()}");

    public static implicit operator CborValue(long value) => new CborInteger(value);

    public static implicit operator CborValue(int value) => new CborInteger(value);

    public static implicit operator CborValue(string value) => new CborTextString(value);

    public static implicit operator CborValue(byte[] value) => new CborByteString(value);

    public static implicit operator CborValue(bool value) => value ? True : False;

    public static implicit operator CborValue(double value) => new CborFloat(value);

    public abstract bool Equals(CborValue? other);

    public override bool Equals(object? obj) => obj is CborValue other && Equals(other);

    public abstract override int GetHashCode();

    public static bool operator ==(CborValue? left, CborValue? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(CborValue? left, CborValue? right) => !(left == right);
}
