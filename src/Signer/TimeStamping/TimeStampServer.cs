using System.Net;

namespace Provenance.Signer.TimeStamping;

/// <summary>Serves a <see cref="TimeStampAuthority"/> over HTTP (POST <c>application/timestamp-query</c>).</summary>
public sealed class TimeStampServer : IDisposable
{
    private const int MaxRequestBytes = 64 * 1024;
    private readonly HttpListener _listener = new();
    private readonly TimeStampAuthority _authority;

    /// <param name="prefix">An HttpListener prefix such as <c>http://127.0.0.1:3161/</c>.</param>
    public TimeStampServer(TimeStampAuthority authority, string prefix)
    {
        _authority = authority;
        _listener.Prefixes.Add(prefix);
        Url = new Uri(prefix);
    }

    public Uri Url { get; }

    /// <summary>Serves requests until <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _listener.Start();
        using var stop = cancellationToken.Register(() => _listener.Stop());
        while (!cancellationToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                if (cancellationToken.IsCancellationRequested) break;
                throw;
            }
            _ = Task.Run(() => HandleAsync(context, cancellationToken), CancellationToken.None);
        }
    }

    private async Task HandleAsync(HttpListenerContext context, CancellationToken cancellationToken)
    {
        var response = context.Response;
        try
        {
            if (context.Request.HttpMethod != "POST")
            {
                response.StatusCode = 405;
                return;
            }
            if (!string.Equals(context.Request.ContentType, "application/timestamp-query", StringComparison.OrdinalIgnoreCase))
            {
                response.StatusCode = 415;
                return;
            }
            using var buffer = new MemoryStream();
            var chunk = new byte[8192];
            int read;
            while ((read = await context.Request.InputStream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > MaxRequestBytes)
                {
                    response.StatusCode = 413;
                    return;
                }
            }
            var reply = _authority.Respond(buffer.ToArray());
            response.ContentType = "application/timestamp-reply";
            response.ContentLength64 = reply.Length;
            await response.OutputStream.WriteAsync(reply, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpListenerException or IOException or OperationCanceledException)
        {
            // client went away or the server is stopping
        }
        finally
        {
            try { response.Close(); } catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { }
        }
    }

    public void Dispose() => _listener.Close();
}
