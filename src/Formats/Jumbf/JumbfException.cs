namespace Provenance.Formats.Jumbf;

/// <summary>The only exception the JUMBF reader throws on malformed or hostile input.</summary>
public sealed class JumbfException : Exception
{
    public JumbfException(string message, long offset)
        : base(offset >= 0 ? $"{message} (at byte {offset})" : message)
    {
        Offset = offset;
    }

    /// <summary>Offset of the offending box within the JUMBF input, or -1.</summary>
    public long Offset { get; }
}
