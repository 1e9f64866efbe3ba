using System.Diagnostics;
using System.Globalization;

namespace Provenance.Bench;

internal static partial class ApiBench
{
    /// <summary>The service under test: <c>./provenance serve</c> as a child process with its output in a log file.</summary>
    private sealed class ServiceProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly StreamWriter _log;
        private readonly Task _pump;
        private double _maxRss;

        private ServiceProcess(Process process, StreamWriter log)
        {
            _process = process;
            _log = log;
            _pump = Task.WhenAll(Pump(process.StandardOutput), Pump(process.StandardError));
        }

        public int Id => _process.Id;

        public double MaxRssMegabytes => _maxRss;

        public static ServiceProcess Start(IReadOnlyDictionary<string, string> environment, int port, string logPath)
        {
            var info = Info("./provenance", ["serve", "--urls", $"http://127.0.0.1:{port}"], environment);
            var process = Process.Start(info) ?? throw new InvalidOperationException("the service did not start");
            return new ServiceProcess(process, new StreamWriter(logPath, append: false) { AutoFlush = true });
        }

        /// <summary>Runs one <c>./provenance</c> command to completion; returns its standard output.</summary>
        public static Task<string> RunCliAsync(IReadOnlyDictionary<string, string> environment, CancellationToken ct, params string[] arguments) =>
            RunAsync("./provenance", arguments, environment, ct);

        public static async Task<string> RunAsync(string program, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment,
            CancellationToken ct)
        {
            using var process = Process.Start(Info(program, arguments, environment)) ?? throw new InvalidOperationException($"{program} did not start");
            var stdout = process.StandardOutput.ReadToEndAsync(ct);
            var stderr = process.StandardError.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited {process.ExitCode}: {await stderr}");
            }
            return await stdout;
        }

        private static ProcessStartInfo Info(string program, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment)
        {
            var info = new ProcessStartInfo(program)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = Directory.GetCurrentDirectory(),
            };
            foreach (var argument in arguments)
            {
                info.ArgumentList.Add(argument);
            }
            foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            {
                info.Environment[key] = value;
            }
            return info;
        }

        public async Task WaitReadyAsync(HttpClient http, TimeSpan timeout, CancellationToken ct)
        {
            var deadline = Stopwatch.StartNew();
            while (deadline.Elapsed < timeout)
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"the service exited with {_process.ExitCode} before it was ready; see bench/out/api/service.log");
                }
                try
                {
                    using var response = await http.GetAsync("readyz", ct);
                    if (response.IsSuccessStatusCode)
                    {
                        return;
                    }
                }
                catch (HttpRequestException)
                {
                }
                await Task.Delay(500, ct);
            }
            throw new TimeoutException($"the service was not ready within {timeout}");
        }

        /// <summary>The service's resident set (VmRSS) now, in MB; also kept for the maximum.</summary>
        public double RssMegabytes()
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the service exited with {_process.ExitCode}; see bench/out/api/service.log");
            }
            var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            var kb = long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            var mb = kb / 1024.0;
            _maxRss = Math.Max(_maxRss, mb);
            return mb;
        }

        public void Sample() => RssMegabytes();

        private async Task Pump(StreamReader reader)
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                lock (_log)
                {
                    _log.WriteLine(line);
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                // A graceful stop (SIGTERM), as a service manager would; killed if it does not end in time.
                using (var term = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)])))
                {
                    term?.WaitForExit();
                }
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                try
                {
                    await _process.WaitForExitAsync(wait.Token);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill(entireProcessTree: true);
                    await _process.WaitForExitAsync();
                }
            }
            await _pump;
            await _log.DisposeAsync();
            _process.Dispose();
        }
    }

    /// <summary>Completed scans, their durations and errors, shared by the clients.</summary>
    private sealed class ScanTally
    {
        private readonly object _gate = new();
        private readonly List<double> _scanMilliseconds = [];
        private readonly List<string> _firstErrors = [];
        private int _completed;
        private int _errors;

        public int Completed => Volatile.Read(ref _completed);

        public int Errors => Volatile.Read(ref _errors);

        public TimeSpan Elapsed { get; set; }

        public IReadOnlyList<string> FirstErrors
        {
            get
            {
                lock (_gate)
                {
                    return _firstErrors.ToArray();
                }
            }
        }

        public IReadOnlyList<double> ScanSeconds()
        {
            lock (_gate)
            {
                return _scanMilliseconds.Select(ms => ms / 1000).ToArray();
            }
        }

        public void Done(TimeSpan took)
        {
            lock (_gate)
            {
                _scanMilliseconds.Add(took.TotalMilliseconds);
            }
            Interlocked.Increment(ref _completed);
        }

        public void Error(string what)
        {
            Interlocked.Increment(ref _errors);
            lock (_gate)
            {
                if (_firstErrors.Count < 10)
                {
                    _firstErrors.Add(what);
                    BenchOutput.Progress($"error: {what}");
                }
            }
        }

        /// <summary>Forgets the warm-up's figures (its errors are kept: a failing warm-up is a failing service).</summary>
        public void Reset()
        {
            lock (_gate)
            {
                _scanMilliseconds.Clear();
            }
            Interlocked.Exchange(ref _completed, 0);
        }
    }
}
