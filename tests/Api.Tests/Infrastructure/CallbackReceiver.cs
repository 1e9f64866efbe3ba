using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Provenance.Api.Tests.Infrastructure;

/// <summary>
/// A real HTTP receiver for job callbacks (Kestrel on a loopback port): records every request it gets under its
/// path, and answers each path with the status its script gives for the n-th request (1-based).
/// </summary>
public sealed class CallbackReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Func<int, int>> _scripts = new();
    private readonly ConcurrentDictionary<string, List<Received>> _received = new();

    /// <summary>One request as it arrived: when, its signature header, its exact body, and what it was answered.</summary>
    public sealed record Received(DateTimeOffset At, string? Signature, string? ContentType, byte[] Body, int AnsweredStatus);

    private CallbackReceiver(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    public static async Task<CallbackReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var receiver = new CallbackReceiver(builder.Build());
        receiver._app.Run(receiver.HandleAsync);
        await receiver._app.StartAsync();
        var address = receiver._app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        receiver.BaseAddress = new Uri(address + "/");
        return receiver;
    }

    /// <summary>A fresh URL on this receiver whose n-th request is answered <paramref name="statusForRequest"/>(n).</summary>
    public string Endpoint(Func<int, int> statusForRequest)
    {
        var path = "/hook/" + Guid.NewGuid().ToString("N");
        _scripts[path] = statusForRequest;
        _received[path] = [];
        return new Uri(BaseAddress, path).ToString();
    }

    public IReadOnlyList<Received> ReceivedAt(string url)
    {
        var list = _received[new Uri(url).AbsolutePath];
        lock (list)
        {
            return list.ToArray();
        }
    }

    /// <summary>Waits until <paramref name="url"/> got at least <paramref name="count"/> requests.</summary>
    public async Task<IReadOnlyList<Received>> WaitForAsync(string url, int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var got = ReceivedAt(url);
            if (got.Count >= count)
            {
                return got;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"{url} got {ReceivedAt(url).Count} of {count} callbacks within {timeout}");
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        if (!_scripts.TryGetValue(path, out var script) || !_received.TryGetValue(path, out var list))
        {
            context.Response.StatusCode = 404;
            return;
        }
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        int status;
        lock (list)
        {
            status = script(list.Count + 1);
            list.Add(new Received(DateTimeOffset.UtcNow, context.Request.Headers["X-Provenance-Signature"].FirstOrDefault(),
                context.Request.ContentType, body.ToArray(), status));
        }
        context.Response.StatusCode = status;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
