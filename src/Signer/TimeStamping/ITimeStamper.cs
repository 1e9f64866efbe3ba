namespace Provenance.Signer.TimeStamping;

/// <summary>Obtains an RFC 3161 time-stamp token over some bytes (the COSE countersignature structure).</summary>
public interface ITimeStamper
{
    /// <summary>The DER <c>TimeStampToken</c> (CMS ContentInfo) whose message imprint is SHA-256 of <paramref name="data"/>.</summary>
    Task<byte[]> TimeStampAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);
}

/// <summary>Time-stamps in process with a <see cref="TimeStampAuthority"/> (development and tests).</summary>
public sealed class LocalTimeStamper(TimeStampAuthority authority) : ITimeStamper
{
    public Task<byte[]> TimeStampAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var hash = System.Security.Cryptography.SHA256.HashData(data.Span);
        return Task.FromResult(authority.CreateToken(new System.Security.Cryptography.Oid("2.16.840.1.101.3.4.2.1"), hash, null));
    }
}
