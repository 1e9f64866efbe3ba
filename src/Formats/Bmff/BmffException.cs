namespace Provenance.Formats.Bmff;

/// <summary>The only exception the BMFF reader and rewriter throw on malformed, hostile or unsupported files.</summary>
public sealed class BmffException : Exception
{
    public BmffException(string message, long offset = -1, Exception? inner = null)
        : base(offset >= 0 ? $"{message} (at byte {offset})" : message, inner)
    {
        Offset = offset;
    }

    /// <summary>File offset of the offending box, or -1.</summary>
    public long Offset { get; }
}
