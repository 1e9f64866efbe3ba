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

    /// <summary>Delivery tries before the callback is recorded as <c>failed</c> (the job itself keeps its status).</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Wait after the first failed try; each further failure doubles it, up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A receiver must answer 2xx within this time, else the try counts as failed.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// Tells a job's callback URL that it finished: a JSON body <c>{id, kind, status, statusUrl}</c> with the header
/// <c>X-Provenance-Signature: t=UNIX,v1=HEX(HMAC-SHA256(secret, "t.body"))</c>, where the key is the secret's UTF-8
/// bytes and the message the decimal time, a dot and the exact body bytes. Any answer other than 2xx, a refused
/// connection or a timeout is retried with exponential backoff; after <see cref="CallbackOptions.MaxAttempts"/>
/// tries the callback is recorded as failed on the job.
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
                    var state = await store.RecordCallbackAsync(job.Id, ok, o.MaxAttempts, o.InitialBackoff, o.MaxBackoff, stoppingToken);
                    if (state == CallbackState.Failed)
                    {
                        LogGaveUp(job.Id, job.Attempts + 1);
                    }
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
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(o.RequestTimeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new("application/json");
            request.Headers.Add(SignatureHeader, Sign(Secret, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), body));
            using var response = await httpClients.CreateClient(nameof(CallbackDispatcher))
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            LogDelivered(id, (int)response.StatusCode);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // Whatever went wrong with this URL (refused, timed out, not a usable address) counts as one failed try,
            // so a callback always ends delivered or failed instead of being retried forever.
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

    [LoggerMessage(EventId = 3203, Level = LogLevel.Warning, Message = "Callback for job {Id} given up after {Attempts} tries")]
    private partial void LogGaveUp(Guid id, int attempts);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Warning, Message = "Callback dispatch failed: {Error}")]
    private partial void LogDispatchFailed(string error);
}
