using System.Net.Sockets;
using System.Text;

namespace Provenance.Api.Tests.Infrastructure;

/// <summary>
/// An HTTP/1.1 upload over a plain socket that keeps reading while it sends, as curl does: it sees a server's early
/// answer (413, 408) where HttpClient only reports the broken pipe. Reports how many body bytes went out.
/// </summary>
public static class RawHttpUpload
{
    public sealed record Result(int StatusCode, string Head, long BodyBytesSent);

    /// <param name="declaredLength">Content-Length to send, or null for chunked transfer.</param>
    /// <param name="totalBytes">Body bytes to offer at most.</param>
    /// <param name="chunk">Bytes per write.</param>
    /// <param name="pause">Pause between writes (a slow client).</param>
    public static async Task<Result> PostAsync(Uri baseAddress, string path, string contentType, string? bearer,
        long? declaredLength, long totalBytes, int chunk, TimeSpan pause, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        using var client = new TcpClient();
        await client.ConnectAsync(baseAddress.Host, baseAddress.Port, cts.Token);
        var stream = client.GetStream();
        var head = new StringBuilder()
            .Append($"POST {path} HTTP/1.1\r\nHost: {baseAddress.Authority}\r\nContent-Type: {contentType}\r\n");
        if (bearer is not null)
        {
            head.Append($"Authorization: Bearer {bearer}\r\n");
        }
        head.Append(declaredLength is { } n ? $"Content-Length: {n}\r\n" : "Transfer-Encoding: chunked\r\n").Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), cts.Token);

        var response = new MemoryStream();
        var readBuffer = new byte[8192];
        var reading = stream.ReadAsync(readBuffer, cts.Token).AsTask();
        var block = new byte[chunk];
        long sent = 0;
        try
        {
            while (sent < totalBytes && !reading.IsCompleted)
            {
                var size = (int)Math.Min(chunk, totalBytes - sent);
                if (declaredLength is null)
                {
                    await stream.WriteAsync(Encoding.ASCII.GetBytes($"{size:x}\r\n"), cts.Token);
                }
                var write = stream.WriteAsync(block.AsMemory(0, size), cts.Token).AsTask();
                if (await Task.WhenAny(write, reading) == reading && !write.IsCompleted)
                {
                    break; // the server answered while this write was blocked: it stopped reading
                }
                await write;
                if (declaredLength is null)
                {
                    await stream.WriteAsync("\r\n"u8.ToArray(), cts.Token);
                }
                sent += size;
                if (pause > TimeSpan.Zero)
                {
                    await Task.WhenAny(Task.Delay(pause, cts.Token), reading);
                }
            }
            if (declaredLength is null && !reading.IsCompleted)
            {
                await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), cts.Token);
            }
        }
        catch (IOException)
        {
            // The server closed the connection under a write: its answer is still readable below.
        }
        var count = await reading;
        while (count > 0)
        {
            response.Write(readBuffer, 0, count);
            var text = Encoding.ASCII.GetString(response.ToArray());
            if (text.Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                break;
            }
            count = await stream.ReadAsync(readBuffer, cts.Token);
        }
        var headText = Encoding.ASCII.GetString(response.ToArray());
        var status = int.Parse(headText.Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture);
        return new Result(status, headText, sent);
    }
}
