using System.Security.Cryptography;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Provenance.Api.Uploads;

/// <summary>An upload saved on disk under a name the service chose; the client's name is kept only as a label.</summary>
public sealed record StoredUpload(string Path, long Length, string Sha256, string? OriginalName, string ContentType);

/// <summary>Why an upload was refused; maps to an HTTP status and a problem details answer.</summary>
public sealed class UploadRejectedException(int statusCode, string title, string detail, string? reason = null) : Exception(detail)
{
    public int StatusCode { get; } = statusCode;

    public string Title { get; } = title;

    /// <summary>A stable machine-readable reason (the problem's <c>reason</c> member), when there is one.</summary>
    public string? Reason { get; } = reason;

    /// <summary>Further problem members (figures the client can act on).</summary>
    public Dictionary<string, object?> Extensions { get; } = new();

    /// <summary>The RFC 9457 answer for this refusal.</summary>
    public IResult ToProblem()
    {
        var extensions = new Dictionary<string, object?>(Extensions);
        if (Reason is not null)
        {
            extensions["reason"] = Reason;
        }
        return TypedResults.Problem(statusCode: StatusCode, title: Title, detail: Message, extensions: extensions);
    }
}

/// <summary>
/// Streams request bodies (raw or multipart) to the uploads folder with a size cap and a minimum data rate: nothing
/// is buffered whole, an oversize body is refused as soon as it is known to be too large.
/// </summary>
public sealed class UploadStore(IOptions<UploadOptions> options, IConfiguration configuration)
{
    private static readonly string[] MediaTypes = ["video/", "application/octet-stream", "application/mp4"];

    public UploadOptions Options => options.Value;

    public string Folder { get; } = System.IO.Path.GetFullPath(
        System.IO.Path.Combine(configuration["Provenance:DataDirectory"] ?? ".data", "uploads"));

    public async Task<StoredUpload> SaveAsync(HttpRequest request, long maxBytes, CancellationToken ct)
    {
        if (request.ContentLength is { } declared && declared > maxBytes)
        {
            throw TooLarge(maxBytes);
        }
        var contentType = request.ContentType ?? "";
        if (MediaTypeHeaderValue.TryParse(contentType, out var mt) && mt.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            var boundary = HeaderUtilities.RemoveQuotes(mt.Boundary).Value;
            if (string.IsNullOrEmpty(boundary) || boundary.Length > 200)
            {
                throw new UploadRejectedException(400, "Bad multipart body", "The multipart boundary is missing or too long.");
            }
            var reader = new MultipartReader(boundary, request.Body) { HeadersLengthLimit = 16 * 1024 };
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var cd) || !cd.IsFileDisposition())
                {
                    continue;
                }
                var name = SafeLabel(cd.FileNameStar.Value ?? cd.FileName.Value);
                var type = section.ContentType ?? "application/octet-stream";
                RequireMedia(type);
                return await WriteAsync(section.Body, maxBytes, name, type, ct);
            }
            throw new UploadRejectedException(400, "No file", "The multipart body holds no file part.");
        }
        RequireMedia(contentType);
        var label = request.Headers.TryGetValue("X-File-Name", out var n) ? SafeLabel(n.ToString()) : null;
        return await WriteAsync(request.Body, maxBytes, label, contentType, ct);
    }

    public void Delete(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (full.StartsWith(Folder + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            File.Delete(full);
        }
    }

    /// <summary>A client's file name reduced to a harmless label: no folders, no control characters, bounded.</summary>
    public static string? SafeLabel(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }
        var last = name.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
        var clean = new string(last.Where(c => !char.IsControl(c)).ToArray()).Trim().TrimStart('.');
        return clean.Length == 0 ? null : clean[..Math.Min(clean.Length, 120)];
    }

    private static void RequireMedia(string contentType)
    {
        if (!MediaTypes.Any(t => contentType.StartsWith(t, StringComparison.OrdinalIgnoreCase)))
        {
            throw new UploadRejectedException(415, "Unsupported media type",
                $"Send the video as the raw body (video/*, application/octet-stream) or as a multipart/form-data file; got '{contentType}'.");
        }
    }

    private static UploadRejectedException TooSlow(UploadOptions o) =>
        new(408, "Upload too slow", $"The upload fell below {o.MinBytesPerSecond} bytes/s and was cut off.");

    private static UploadRejectedException TooLarge(long max) =>
        new(413, "Upload too large", $"Uploads are limited to {max} bytes.");

    private async Task<StoredUpload> WriteAsync(Stream body, long maxBytes, string? label, string contentType, CancellationToken ct)
    {
        Directory.CreateDirectory(Folder);
        var path = System.IO.Path.Combine(Folder, Guid.NewGuid().ToString("N") + ".upload");
        var o = options.Value;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        long total = 0;
        var started = DateTime.UtcNow;
        try
        {
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
            {
                while (true)
                {
                    // The average rate since the grace period must stay above the minimum: the bytes received so far
                    // buy time until a deadline, and the next read must arrive before it.
                    var allowed = o.MinRateGrace + TimeSpan.FromSeconds(total / Math.Max(1, o.MinBytesPerSecond)) - (DateTime.UtcNow - started);
                    if (allowed <= TimeSpan.Zero)
                    {
                        throw TooSlow(o);
                    }
                    using var slow = CancellationTokenSource.CreateLinkedTokenSource(ct);
                    slow.CancelAfter(allowed);
                    int n;
                    try
                    {
                        n = await body.ReadAsync(buffer, slow.Token);
                    }
                    catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                    {
                        throw TooSlow(o);
                    }
                    if (n == 0)
                    {
                        break;
                    }
                    total += n;
                    if (total > maxBytes)
                    {
                        throw TooLarge(maxBytes);
                    }
                    hash.AppendData(buffer, 0, n);
                    await file.WriteAsync(buffer.AsMemory(0, n), ct);
                }
            }
            if (total == 0)
            {
                throw new UploadRejectedException(400, "Empty upload", "The upload holds no bytes.");
            }
            return new StoredUpload(path, total, Convert.ToHexStringLower(hash.GetHashAndReset()), label, contentType);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }
}
