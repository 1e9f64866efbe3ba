using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using Npgsql;
using Provenance.Ledger.Database;

namespace Provenance.Bench;

/// <summary>
/// <c>bench/run.sh api [--clients N] [--minutes M] [--verify-calls N]</c> (or API_CLIENTS / API_MINUTES / API_VERIFY_CALLS
/// in the environment): the service as its own process (<c>./provenance serve</c>) over an embedded PostgreSQL in
/// bench/out/api, set up as <c>./run.sh</c> does (migrations, signing CA and certificate, a scan-scope API key). N
/// clients in this process each loop over loopback: upload a 10 s 720p clip to <c>POST /v1/scans</c>, poll its
/// status until it ends. Counts completed scans and errors (an unexpected HTTP status, a failed or dead job, a scan
/// past its time limit) and samples the service's resident memory (VmRSS) after warm-up, every few seconds, and at the
/// end. Then times synchronous <c>POST /v1/verify</c> of a ~20 MB signed clip.
/// </summary>
internal static partial class ApiBench
{
    /// <summary>What <c>bench/run.sh api</c> accepts (checked before it runs).</summary>
    public static BenchArgs Arguments { get; } = new("bench/run.sh api [--clients N] [--minutes M] [--verify-calls N]",
        ["--clients", "--minutes", "--verify-calls"], []);

    private static readonly TimeSpan ScanTimeLimit = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    public static async Task<IReadOnlyDictionary<string, object?>> RunAsync(string[] args, CancellationToken ct)
    {
        var clients = (int)Setting(args, "--clients", "API_CLIENTS", 4);
        var minutes = Setting(args, "--minutes", "API_MINUTES", 10);
        var verifyCalls = (int)Setting(args, "--verify-calls", "API_VERIFY_CALLS", 60);
        var root = Path.GetFullPath(Path.Combine("bench", "out", "api"));
        var data = Path.Combine(root, "data");
        var media = Path.Combine(root, "media");
        if (Directory.Exists(data))
        {
            Directory.Delete(data, recursive: true);
        }
        Directory.CreateDirectory(data);
        Directory.CreateDirectory(media);
        if (!OperatingSystem.IsWindows())
        {
            // The embedded cluster runs as the postgres account when this runs as root: it must reach its folder.
            File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }

        await using var cluster = await EmbeddedPostgres.StartAsync(Path.Combine(root, "pg"),
            new EmbeddedPostgresOptions { Database = "postgres", StartTimeout = TimeSpan.FromMinutes(3) }, ct);
        BenchOutput.Progress($"PostgreSQL: {cluster}");
        var connectionString = await FreshDatabaseAsync(cluster, "provenance_api_bench", ct);

        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Ledger"] = connectionString,
            ["Provenance__DataDirectory"] = data,
            ["Provenance__Keys__Directory"] = Path.Combine(data, "keys"),
            ["PROVENANCE_KEYS_PASSPHRASE"] = "api-bench-passphrase",
            // The bench measures the service, not its per-key rate limit (polling alone would exceed the default).
            ["Provenance__RateLimit__PermitsPerMinute"] = "1000000",
            ["Provenance__RateLimit__Burst"] = "100000",
            // 256 MiB by default: the ~20 MB verify clip is within it; stated here so the bench does not depend on it.
            ["Provenance__Uploads__MaxVerifyBytes"] = (64L * 1024 * 1024).ToString(CultureInfo.InvariantCulture),
        };
        BenchOutput.Progress("set-up: migrations, signing CA and certificate, API key (as ./run.sh does)");
        await ServiceProcess.RunCliAsync(environment, ct, "db", "migrate");
        await ServiceProcess.RunCliAsync(environment, ct, "keys", "init-ca");
        await ServiceProcess.RunCliAsync(environment, ct, "keys", "issue");
        var key = (await ServiceProcess.RunCliAsync(environment, ct, "apikey", "create", "--scope", "scan", "--name", "api bench"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Last();

        var scanClip = await ClipAsync(media, "scan-720p-10s.mp4", "-crf", "23", ct);
        var verifySource = await ClipAsync(media, "verify-720p-10s-16M.mp4", "-b:v", "16M", ct, "-minrate", "16M", "-maxrate", "16M", "-bufsize", "8M");
        var verifyClip = Path.Combine(data, "verify-signed.mp4");
        await ServiceProcess.RunCliAsync(environment, ct, "sign", verifySource, verifyClip, "--title", "api bench");
        BenchOutput.Progress($"clips: scan {new FileInfo(scanClip).Length / 1e6:0.0} MB, verify {new FileInfo(verifyClip).Length / 1e6:0.0} MB (signed)");

        var port = FreePort();
        await using var service = ServiceProcess.Start(environment, port, Path.Combine(root, "service.log"));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        await service.WaitReadyAsync(http, TimeSpan.FromMinutes(3), ct);
        BenchOutput.Progress($"service: pid {service.Id} on port {port}, ready");

        var tally = new ScanTally();
        // Warm-up: one round per client at once, so the classifier is loaded and the heap has met concurrent scans.
        BenchOutput.Progress($"warm-up: {clients} concurrent scans");
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => ScanOnceAsync(http, scanClip, tally, ct)));
        tally.Reset();
        var rssStart = service.RssMegabytes();
        BenchOutput.Progress($"warm-up done; RSS {rssStart:0.0} MB, load {LoadAverage()}");

        var figures = new Dictionary<string, object?>();
        await RunLoadAsync(http, service, scanClip, clients, minutes, tally, figures, ct);
        var rssAfterScans = service.RssMegabytes();

        var verify = await MeasureVerifyAsync(http, service, verifyClip, verifyCalls, tally, ct);
        var rssEnd = service.RssMegabytes();
        service.Sample();

        figures["scans_per_min"] = Math.Round(tally.Completed / tally.Elapsed.TotalMinutes, 2);
        figures["errors"] = tally.Errors;
        figures["rss_start_mb"] = Math.Round(rssStart, 1);
        figures["rss_end_mb"] = Math.Round(rssEnd, 1);
        figures["rss_after_scans_mb"] = Math.Round(rssAfterScans, 1);
        figures["rss_max_mb"] = Math.Round(service.MaxRssMegabytes, 1);
        figures["verify_p50_ms"] = Percentile(verify, 0.50);
        figures["verify_p99_ms"] = Percentile(verify, 0.99);
        figures["verify_calls"] = verify.Count;
        figures["verify_file_mb"] = Math.Round(new FileInfo(verifyClip).Length / 1e6, 1);
        figures["clients"] = clients;
        figures["minutes"] = minutes;
        figures["scans_total"] = tally.Completed;
        figures["scan_p50_s"] = Percentile(tally.ScanSeconds(), 0.50);
        figures["scan_p99_s"] = Percentile(tally.ScanSeconds(), 0.99);
        figures["cpu_cores"] = Environment.ProcessorCount;
        foreach (var error in tally.FirstErrors)
        {
            BenchOutput.Progress($"error: {error}");
        }
        return figures;
    }

    private static async Task RunLoadAsync(HttpClient http, ServiceProcess service, string clip, int clients, double minutes,
        ScanTally tally, Dictionary<string, object?> figures, CancellationToken ct)
    {
        BenchOutput.Progress($"load: {clients} clients for {minutes:0.##} min");
        var clock = Stopwatch.StartNew();
        var until = TimeSpan.FromMinutes(minutes);
        var loads = new List<double>();
        var rss = new List<(double Minutes, double Megabytes)>();
        using var stopSampling = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var sampler = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5));
            var tick = 0;
            while (await timer.WaitForNextTickAsync(stopSampling.Token).AsTask().ContinueWith(t => t.IsCompletedSuccessfully && t.Result, CancellationToken.None))
            {
                rss.Add((clock.Elapsed.TotalMinutes, service.RssMegabytes()));
                loads.Add(LoadAverage1());
                if (++tick % 6 == 0)
                {
                    BenchOutput.Progress($"load: {clock.Elapsed.TotalMinutes:0.0} min, {tally.Completed} scans, {tally.Errors} errors, "
                        + $"RSS {service.RssMegabytes():0.0} MB (max {service.MaxRssMegabytes:0.0}), load {LoadAverage()}");
                }
            }
        }, CancellationToken.None);
        var workers = Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            while (clock.Elapsed < until && !ct.IsCancellationRequested)
            {
                await ScanOnceAsync(http, clip, tally, ct);
            }
        }, ct));
        await Task.WhenAll(workers);
        tally.Elapsed = clock.Elapsed;
        await stopSampling.CancelAsync();
        await sampler;
        // RSS trend: least-squares slope of the samples over the whole run (flat memory: close to 0 MB/min).
        figures["rss_slope_mb_per_min"] = rss.Count < 3 ? null : Math.Round(Slope(rss), 2);
        figures["load_avg_1m_mean"] = loads.Count == 0 ? null : Math.Round(loads.Average(), 2);
        figures["load_avg_1m_max"] = loads.Count == 0 ? null : Math.Round(loads.Max(), 2);
        BenchOutput.Progress($"load: done, {tally.Completed} scans in {tally.Elapsed.TotalMinutes:0.00} min, {tally.Errors} errors");
    }

    /// <summary>One client round: upload, then poll until the job ends. Every deviation counts as an error.</summary>
    private static async Task ScanOnceAsync(HttpClient http, string clip, ScanTally tally, CancellationToken ct)
    {
        var started = Stopwatch.StartNew();
        try
        {
            await using var file = File.OpenRead(clip);
            using var content = new StreamContent(file);
            content.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");
            using var submitted = await http.PostAsync("v1/scans", content, ct);
            if (submitted.StatusCode != HttpStatusCode.Accepted)
            {
                tally.Error($"POST /v1/scans answered {(int)submitted.StatusCode}: {await submitted.Content.ReadAsStringAsync(ct)}");
                return;
            }
            var statusUrl = JsonDocument.Parse(await submitted.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("statusUrl").GetString()!;
            while (started.Elapsed < ScanTimeLimit)
            {
                await Task.Delay(PollInterval, ct);
                using var polled = await http.GetAsync(statusUrl.TrimStart('/'), ct);
                if (polled.StatusCode != HttpStatusCode.OK)
                {
                    tally.Error($"GET {statusUrl} answered {(int)polled.StatusCode}");
                    return;
                }
                var job = JsonDocument.Parse(await polled.Content.ReadAsStringAsync(ct)).RootElement;
                switch (job.GetProperty("status").GetString())
                {
                    case "done":
                        tally.Done(started.Elapsed);
                        return;
                    case "failed" or "dead" or "cancelled":
                        tally.Error($"scan {statusUrl} ended {job.GetProperty("status").GetString()}: {job.GetProperty("error")}");
                        return;
                }
            }
            tally.Error($"scan {statusUrl} still running after {ScanTimeLimit}");
        }
        catch (Exception e) when (e is HttpRequestException or IOException or JsonException
            || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            tally.Error($"scan round failed: {e.GetType().Name}: {e.Message}");
        }
    }

    private static async Task<List<double>> MeasureVerifyAsync(HttpClient http, ServiceProcess service, string clip, int calls, ScanTally tally,
        CancellationToken ct)
    {
        BenchOutput.Progress($"verify: {calls} synchronous POST /v1/verify of {new FileInfo(clip).Length / 1e6:0.0} MB");
        var latencies = new List<double>();
        for (var i = 0; i < calls + 3 && !ct.IsCancellationRequested; i++)
        {
            var clock = Stopwatch.StartNew();
            await using var file = File.OpenRead(clip);
            using var content = new StreamContent(file);
            content.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");
            using var response = await http.PostAsync("v1/verify", content, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            var elapsed = clock.Elapsed.TotalMilliseconds;
            var state = response.IsSuccessStatusCode ? JsonDocument.Parse(body).RootElement.GetProperty("state").ToString() : null;
            if (response.StatusCode != HttpStatusCode.OK || state is not "Trusted")
            {
                tally.Error($"POST /v1/verify answered {(int)response.StatusCode}, state {state}: {body[..Math.Min(body.Length, 300)]}");
            }
            if (i >= 3)
            {
                latencies.Add(elapsed); // the first three warm the path up
            }
            if ((i + 1) % 20 == 0)
            {
                BenchOutput.Progress($"verify: {i + 1} calls, RSS {service.RssMegabytes():0.0} MB");
            }
        }
        BenchOutput.Progress($"verify: p50 {Percentile(latencies, 0.5)} ms, p99 {Percentile(latencies, 0.99)} ms");
        return latencies;
    }

    /// <summary>A 10 s 1280x720 30 fps clip with moving pattern and temporal noise (texture for every stage), made once.</summary>
    private static async Task<string> ClipAsync(string folder, string name, string rateFlag, string rateValue, CancellationToken ct,
        params string[] extra)
    {
        var path = Path.Combine(folder, name);
        if (File.Exists(path))
        {
            return path;
        }
        BenchOutput.Progress($"clips: making {name} with ffmpeg");
        string[] arguments =
        [
            "-hide_banner", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=s=1280x720:r=30,noise=alls=14:allf=t+u",
            "-t", "10", "-c:v", "libx264", "-preset", "veryfast", rateFlag, rateValue, .. extra, "-pix_fmt", "yuv420p",
            "-g", "30", "-movflags", "+faststart", "-f", "mp4", path + ".part",
        ];
        await ServiceProcess.RunAsync("ffmpeg", arguments, null, ct);
        File.Move(path + ".part", path, overwrite: true);
        return path;
    }

    private static async Task<string> FreshDatabaseAsync(EmbeddedPostgres cluster, string name, CancellationToken ct)
    {
        await using (var admin = NpgsqlDataSource.Create(cluster.AdminConnectionString))
        {
            await using var drop = admin.CreateCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
            await drop.ExecuteNonQueryAsync(ct);
            await using var create = admin.CreateCommand($"CREATE DATABASE {name}");
            await create.ExecuteNonQueryAsync(ct);
        }
        return new NpgsqlConnectionStringBuilder(cluster.ConnectionString) { Database = name }.ConnectionString;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static double Setting(string[] args, string flag, string variable, double fallback)
    {
        var at = Array.IndexOf(args, flag);
        var text = at >= 0 && at + 1 < args.Length ? args[at + 1] : Environment.GetEnvironmentVariable(variable);
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    private static double LoadAverage1() => double.TryParse(LoadAverage().Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var l) ? l : 0;

    private static double Slope(IReadOnlyList<(double X, double Y)> points)
    {
        var mx = points.Average(p => p.X);
        var my = points.Average(p => p.Y);
        var sxx = points.Sum(p => (p.X - mx) * (p.X - mx));
        return sxx == 0 ? 0 : points.Sum(p => (p.X - mx) * (p.Y - my)) / sxx;
    }

    private static double? Percentile(IReadOnlyList<double> values, double p)
    {
        if (values.Count == 0)
        {
            return null;
        }
        var sorted = values.Order().ToArray();
        return Math.Round(sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)], 1);
    }
}
