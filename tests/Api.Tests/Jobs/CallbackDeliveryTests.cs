using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Provenance.Api.Auth;
using Provenance.Api.Jobs;
using Provenance.Api.Tests.Infrastructure;
using Provenance.Testing;

namespace Provenance.Api.Tests.Jobs;

/// <summary>
/// Completion callbacks of real scan jobs, delivered over loopback to a real HTTP receiver, checked the way a
/// receiver is documented to check them (README, "Callbacks").
/// </summary>
public sealed class CallbackDeliveryTests : IClassFixture<CallbackDeliveryTests.CallbackFactory>, IAsyncLifetime
{
    private const string Secret = "receiver-shared-secret-for-tests";
    private const int MaxAttempts = 4;
    private static readonly TimeSpan InitialBackoff = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Wait = TimeSpan.FromMinutes(3);

    private readonly CallbackFactory _service;
    private CallbackReceiver? _receiver;

    public CallbackDeliveryTests(CallbackFactory service) => _service = service;

    public sealed class CallbackFactory : ServiceFactory
    {
        public CallbackFactory()
        {
            Settings["Provenance:Callbacks:Secret"] = Secret;
            Settings["Provenance:Callbacks:MaxAttempts"] = MaxAttempts.ToString(CultureInfo.InvariantCulture);
            Settings["Provenance:Callbacks:InitialBackoff"] = InitialBackoff.ToString();
            Settings["Provenance:Callbacks:PollInterval"] = "00:00:00.100";
            Settings["Provenance:Callbacks:RequestTimeout"] = "00:00:05";
            Settings["Provenance:Jobs:PollInterval"] = "00:00:00.200";
        }
    }

    private CallbackReceiver Receiver => _receiver ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => _receiver = await CallbackReceiver.StartAsync();

    public async Task DisposeAsync() => await Receiver.DisposeAsync();

    private async Task<(HttpClient Client, Guid Id)> SubmitScanAsync(string callbackUrl)
    {
        var client = await _service.ClientWithKeyAsync(ApiKeyScopes.Scan);
        var clip = await TestClips.CreateAsync(TestClipKind.TestSource2, 160, 120, 1, 10);
        var content = new ByteArrayContent(await File.ReadAllBytesAsync(clip));
        content.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");
        var response = await client.PostAsync("/v1/scans?callbackUrl=" + Uri.EscapeDataString(callbackUrl), content);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = (await response.Content.ReadFromJsonAsync<JobAccepted>())!;
        return (client, accepted.Id);
    }

    /// <summary>What a receiver does: recompute HMAC-SHA256(secret, "t.body") and compare with v1, and check t is recent.</summary>
    private static bool SignatureVerifies(string? header, byte[] body, string secret)
    {
        if (header is null)
        {
            return false;
        }
        var parts = header.Split(',').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        if (!parts.TryGetValue("t", out var t) || !parts.TryGetValue("v1", out var v1)
            || !long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var unix)
            || Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - unix) > 300)
        {
            return false;
        }
        var message = Encoding.ASCII.GetBytes(t + ".").Concat(body).ToArray();
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message);
        return CryptographicOperations.FixedTimeEquals(expected, Convert.FromHexString(v1));
    }

    /// <summary>Polls the job until its callback reaches <paramref name="state"/>.</summary>
    private static async Task<JsonElement> WaitForCallbackStateAsync(HttpClient client, Guid id, string state)
    {
        var deadline = DateTime.UtcNow + Wait;
        JsonElement job = default;
        while (DateTime.UtcNow < deadline)
        {
            job = await client.GetFromJsonAsync<JsonElement>($"/v1/scans/{id}");
            if (job.GetProperty("callback").ValueKind == JsonValueKind.Object
                && job.GetProperty("callback").GetProperty("state").GetString() == state)
            {
                return job;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"the callback of {id} never reached '{state}': {job}");
    }

    [Fact]
    public async Task CompletedScan_IsPostedToTheReceiver_WithTheDocumentedPayloadAndAVerifiableSignature()
    {
        var url = Receiver.Endpoint(_ => 200);
        var (client, id) = await SubmitScanAsync(url);

        var received = Assert.Single(await Receiver.WaitForAsync(url, 1, Wait));

        Assert.Equal("application/json", received.ContentType);
        var payload = JsonDocument.Parse(received.Body).RootElement;
        Assert.Equal(id, payload.GetProperty("id").GetGuid());
        Assert.Equal(JobKind.Scan, payload.GetProperty("kind").GetString());
        Assert.Equal(JobStatus.Done, payload.GetProperty("status").GetString());
        Assert.Equal($"/v1/scans/{id}", payload.GetProperty("statusUrl").GetString());
        Assert.Matches("^t=[0-9]+,v1=[0-9a-f]{64}$", received.Signature);
        Assert.True(SignatureVerifies(received.Signature, received.Body, Secret), $"signature {received.Signature} does not verify");
        // The check a receiver makes can fail: another secret, or a body changed on the way, does not verify.
        Assert.False(SignatureVerifies(received.Signature, received.Body, Secret + "x"));
        var tampered = received.Body.ToArray();
        tampered[^2] ^= 0x01;
        Assert.False(SignatureVerifies(received.Signature, tampered, Secret));

        var job = await WaitForCallbackStateAsync(client, id, CallbackState.Delivered);
        Assert.Equal(JobStatus.Done, job.GetProperty("status").GetString());
        Assert.Equal(1, job.GetProperty("callback").GetProperty("attempts").GetInt32());
        // The status URL in the callback leads to the finished report.
        var status = await client.GetFromJsonAsync<JsonElement>(payload.GetProperty("statusUrl").GetString());
        Assert.Equal(JsonValueKind.Object, status.GetProperty("report").ValueKind);
    }

    [Fact]
    public async Task ReceiverThatFailsAtFirst_IsRetriedWithGrowingBackoff_UntilItTakesTheCallback()
    {
        var url = Receiver.Endpoint(n => n <= 2 ? 500 : 200);
        var (client, id) = await SubmitScanAsync(url);

        var received = await Receiver.WaitForAsync(url, 3, Wait);

        Assert.Equal([500, 500, 200], received.Select(r => r.AnsweredStatus));
        Assert.All(received, r => Assert.True(SignatureVerifies(r.Signature, r.Body, Secret)));
        Assert.All(received, r => Assert.Equal(id, JsonDocument.Parse(r.Body).RootElement.GetProperty("id").GetGuid()));
        // Backoff: the first retry waits at least the initial backoff, the second at least twice that.
        var tolerance = TimeSpan.FromMilliseconds(50);
        Assert.True(received[1].At - received[0].At >= InitialBackoff - tolerance, $"first retry after {received[1].At - received[0].At}");
        Assert.True(received[2].At - received[1].At >= InitialBackoff * 2 - tolerance, $"second retry after {received[2].At - received[1].At}");

        var job = await WaitForCallbackStateAsync(client, id, CallbackState.Delivered);
        Assert.Equal(3, job.GetProperty("callback").GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task ReceiverThatNeverSucceeds_EndsAsARecordedCallbackFailure_AndTheJobKeepsItsResult()
    {
        var url = Receiver.Endpoint(_ => 503);
        var (client, id) = await SubmitScanAsync(url);

        await Receiver.WaitForAsync(url, MaxAttempts, Wait);
        var job = await WaitForCallbackStateAsync(client, id, CallbackState.Failed);

        Assert.Equal(MaxAttempts, job.GetProperty("callback").GetProperty("attempts").GetInt32());
        Assert.Equal(JobStatus.Done, job.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Object, job.GetProperty("report").ValueKind);
        // Given up for good: no further tries after the last backoff would have passed.
        await Task.Delay(InitialBackoff * (1 << MaxAttempts));
        Assert.Equal(MaxAttempts, Receiver.ReceivedAt(url).Count);
    }

    [Fact]
    public async Task ReceiverThatCannotBeReached_EndsAsARecordedCallbackFailure()
    {
        // A loopback port nobody listens on: every try is a refused connection.
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var (client, id) = await SubmitScanAsync($"http://127.0.0.1:{port}/hook");

        var job = await WaitForCallbackStateAsync(client, id, CallbackState.Failed);

        Assert.Equal(MaxAttempts, job.GetProperty("callback").GetProperty("attempts").GetInt32());
        Assert.Equal(JobStatus.Done, job.GetProperty("status").GetString());
    }
}
