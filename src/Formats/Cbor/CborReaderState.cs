namespace Provenance.Formats.Cbor;

/// <summary>What the next read on a <see cref="CborReader"/> will find.</summary>
public enum CborReaderState
{
    UnsignedInteger,
    NegativeInteger,
    ByteString,
    TextString,
    StartArray,
    EndArray,
    StartMap,
    EndMap,
    Tag,
    SimpleValue,
    HalfFloat,
    SingleFloat,
    DoubleFloat,
    Boolean,
    Null,
    Undefined,

    /// <summary>The top-level data item has been read completely.</summary>
    Finished,
}

/// <summary>The eight CBOR major types (RFC 8949 §3.1).</summary>
public enum CborMajorType : byte
{
    UnsignedInteger = 0,
    NegativeInteger = 1,
    ByteString = 2,
    TextString = 3,
    Array = 4,
    Map = 5,
    Tag = 6,
    SimpleOrFloat = 7,
}

/// <summary>Limits and leniencies of a <see cref="CborReader"/>.</summary>
public sealed record CborReaderOptions
{
    /// <summary>Default limits: nesting depth 32 (arrays, maps and tags all count), one top-level item.</summary>
    public static CborReaderOptions Default { get; } = new();

    /// <summary>Deepest nesting of arrays, maps and tags accepted. Hard upper bound 1,024.</summary>
    public int MaxDepth { get; init; } = 32;

    /// <summary>Whether indefinite-length strings, arrays and maps are accepted (RFC 8949 §3.2.2).</summary>
    public bool AllowIndefiniteLength { get; init; } = true;

    /// <summary>Whether several top-level items may follow each other (a CBOR sequence, RFC 8742).</summary>
    public bool AllowMultipleRootValues { get; init; }

    internal int EffectiveMaxDepth => Math.Clamp(MaxDepth, 1, 1024);
}
