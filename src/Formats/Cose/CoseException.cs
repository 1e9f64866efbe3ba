namespace Provenance.Formats.Cose;

/// <summary>Why a COSE operation failed.</summary>
public enum CoseErrorKind
{
    /// <summary>The bytes are not a well-formed COSE_Sign1 (CBOR errors are wrapped with this kind).</summary>
    Malformed,

    /// <summary>The algorithm is missing, unknown or not supported here.</summary>
    UnsupportedAlgorithm,

    /// <summary>The key given does not fit the message's algorithm.</summary>
    KeyMismatch,

    /// <summary>The requested padded size cannot be reached.</summary>
    SizeUnreachable,
}

/// <summary>The only exception COSE decoding throws on hostile input; wraps <see cref="Cbor.CborException"/>.</summary>
public sealed class CoseException : Exception
{
    public CoseException(CoseErrorKind kind, string message, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
    }

    public CoseErrorKind Kind { get; }
}
