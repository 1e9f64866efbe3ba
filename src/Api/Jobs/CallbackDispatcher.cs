using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Provenance.Api.Jobs;

/// <summary>Callback settings (<c>Provenance:Callbacks</c>).</summary>
public sealed class CallbackOptions
{
    /// <summary>HMAC-SHA256 key receivers use to check <c>X-Provenance-Signature</c>; generated into the data folder when unset.</summary>
    public string? Secret { get; set; }

    public int MaxAttempts { get; set; } = 8;

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// Tells a job's callback URL that it finished: a JSON body <c>{id, kind, status, statusUrl}</c> with the header
/// <c>X-Provenance-Signature: t=UNIX,v1=HEX(HMAC-SHA256(secret, "t.body"))</c>. Retries with exponential backoff.
/// </summary>
public sealed partial class CallbackDispatcher(
    JobStore store, IHttpClientFactory httpClients, IOptions<CallbackOptions> options, IConfiguration configuration,
    ILogger<CallbackDispatcher> logger) : BackgroundService
{
    public const string SignatureHeader = "X-Provenance-Signature";

    private byte[]? _secret;

    /// <summary>The signature header value for a body sent at a time.</summary>
    public static string Sign(byte[] secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.ASCII.GetBytes(unixSeconds.ToString(CultureInfo.InvariantCulture) + ".");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return $"t={unixSeconds},v1={Convert.ToHexStringLower(HMACSHA256.HashData(secret, message))}";
    }

    public byte[] Secret => _secret ??= LoadSecret();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var due = await store.TakeDueCallbacksAsync(16, o.RequestTimeout * 3, stoppingToken);
                foreach (var job in due)
                {
                    var ok = await DeliverAsync(job.Id, job.Kind, job.Status, job.Url, o, stoppingToken);
                    await store.RecordCallbackAsync(job.Id, ok, o.MaxAttempts, stoppingToken);
                }
                if (due.Count == 0)
                {
                    await Task.Delay(o.PollInterval, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogDispatchFailed(e.Message);
                await Task.Delay(o.PollInterval, stoppingToken).ContinueWith(_ => { }, CancellationToken.None);
            }
        }
    }

    private async Task<bool> DeliverAsync(Guid id, string kind, string status, string url, CallbackOptions o, CancellationToken ct)
    {
        var path = kind switch { JobKind.Scan => "/v1/scans/", JobKind.Generation => "/v1/generations/", _ => "/v1/stamps/" };
        var body = JsonSerializer.SerializeToUtf8Bytes(new { id, kind, status, statusUrl = path + id });
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add(SignatureHeader, Sign(Secret, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), body));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(o.RequestTimeout);
        try
        {
            using var response = await httpClients.CreateClient(nameof(CallbackDispatcher)).SendAsync(request, timeout.Token);
            LogDelivered(id, (int)response.StatusCode);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            LogDeliveryFailed(id, e.Message);
            return false;
        }
    }

    private byte[] LoadSecret()
    {
        if (options.Value.Secret is { Length: > 0 } configured)
        {
            return Encoding.UTF8.GetBytes(configured);
        }
        var path = Path.Combine(configuration["Provenance:DataDirectory"] ?? ".data", "callback-secret");
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            var fresh = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            File.WriteAllText(path, fresh);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }
        return Encoding.UTF8.GetBytes(File.ReadAllText(path).Trim());
    }

    [LoggerMessage(EventId = 3200, Level = LogLevel.Information, Message = "Callback for job {Id} answered {Status}")]
    private partial void LogDelivered(Guid id, int status);

    [LoggerMessage(EventId = 3201, Level = LogLevel.Warning, Message = "Callback for job {Id} failed: {Error}")]
    private partial void LogDeliveryFailed(Guid id, string error);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Warning, Message = "Callback dispatch failed: {Error}")]
    private partial void LogDispatchFailed(string error);
}
