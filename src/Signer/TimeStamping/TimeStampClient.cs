using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;

namespace Provenance.Signer.TimeStamping;

/// <summary>An RFC 3161 client over HTTP (<c>application/timestamp-query</c>), e.g. for <c>provenance tsa serve</c>.</summary>
public sealed class TimeStampClient(HttpClient http, Uri url) : ITimeStamper
{
    private const int MaxResponseBytes = 256 * 1024;

    public async Task<byte[]> TimeStampAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var request = Rfc3161TimestampRequest.CreateFromData(data.Span, HashAlgorithmName.SHA256,
            nonce: RandomNumberGenerator.GetBytes(8), requestSignerCertificates: true);
        using var content = new ByteArrayContent(request.Encode());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/timestamp-query");
        byte[] body;
        try
        {
            using var response = await http.PostAsync(url, content, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode) throw new TimeStampException($"time-stamp authority {url} answered HTTP {(int)response.StatusCode}");
            if (response.Content.Headers.ContentLength > MaxResponseBytes) throw new TimeStampException("time-stamp response too large");
            body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new TimeStampException($"time-stamp authority {url} unreachable: {e.Message}", e);
        }
        if (body.Length > MaxResponseBytes) throw new TimeStampException("time-stamp response too large");
        try
        {
            var token = request.ProcessResponse(body, out _);
            return token.AsSignedCms().Encode();
        }
        catch (CryptographicException e)
        {
            throw new TimeStampException($"time-stamp response refused: {e.Message}", e);
        }
    }
}
