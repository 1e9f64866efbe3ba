namespace Provenance.Signer.TimeStamping;

/// <summary>The time-stamp authority could not be reached or its answer was refused or malformed.</summary>
public sealed class TimeStampException : Exception
{
    public TimeStampException(string message) : base(message) { }
    public TimeStampException(string message, Exception inner) : base(message, inner) { }
}
