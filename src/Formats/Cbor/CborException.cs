namespace Provenance.Formats.Cbor;

/// <summary>Why a CBOR read failed.</summary>
public enum CborErrorKind
{
    /// <summary>The bytes are not well-formed CBOR (truncated, reserved values, invalid UTF-8, trailing bytes, duplicate keys).</summary>
    Malformed,

    /// <summary>The bytes are well-formed but exceed a configured limit (nesting depth, declared length).</summary>
    LimitExceeded,

    /// <summary>The next data item is well-formed but not of the type the caller asked for.</summary>
    UnexpectedType,

    /// <summary>A map lacks a key the caller required.</summary>
    MissingKey,
}

/// <summary>The only exception the CBOR reader and the CBOR data model throw on hostile or unexpected input.</summary>
public sealed class CborException : Exception
{
    public CborException(CborErrorKind kind, string message, int position)
        : base($"{message} (at byte {position})")
    {
        Kind = kind;
        Position = position;
    }

    public CborException(CborErrorKind kind, string message)
        : base(message)
    {
        Kind = kind;
        Position = -1;
    }

    /// <summary>What went wrong.</summary>
    public CborErrorKind Kind { get; }

    /// <summary>Offset of the data item that failed to read, or -1 when not tied to a position.</summary>
    public int Position { get; }
}
