using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Provenance.Media;

/// <summary>
/// Starts ffmpeg and ffprobe: caps how many run at once, tracks every live process and kills them all when
/// disposed, when the host process exits, or when it is told to terminate (SIGTERM, SIGHUP: the runtime does not
/// raise ProcessExit for those), so no tool outlives its caller.
/// </summary>
public sealed class FfmpegRunner : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentDictionary<FfmpegProcess, byte> _live = new();
    private readonly EventHandler _onProcessExit;
    private readonly List<PosixSignalRegistration> _onTerminate = [];
    private int _disposed;

    public FfmpegRunner(FfmpegOptions? options = null)
    {
        Options = options ?? new FfmpegOptions();
        if (Options.MaxConcurrentProcesses < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "MaxConcurrentProcesses must be at least 1");
        }
        _slots = new SemaphoreSlim(Options.MaxConcurrentProcesses, Options.MaxConcurrentProcesses);
        _onProcessExit = (_, _) => KillAll();
        AppDomain.CurrentDomain.ProcessExit += _onProcessExit;
        foreach (var signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGHUP })
        {
            try
            {
                // Kill only; whether the host then terminates or shuts down gracefully is not ours to decide.
                _onTerminate.Add(PosixSignalRegistration.Create(signal, _ => KillAll()));
            }
            catch (Exception e) when (e is PlatformNotSupportedException or IOException)
            {
            }
        }
    }

    public FfmpegOptions Options { get; }

    /// <summary>Ids of the tool processes started by this runner that have not been disposed yet.</summary>
    public IReadOnlyList<int> LiveProcessIds => _live.Keys.Select(p => p.Id).ToArray();

    /// <summary>
    /// Waits for a free slot, then starts the tool. The caller owns the returned process and must dispose it
    /// (that frees the slot and kills the process if it is still running).
    /// </summary>
    public async Task<FfmpegProcess> StartAsync(FfmpegTool tool, IReadOnlyList<string> arguments, FfmpegStartOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Timeout <= TimeSpan.Zero || options.Timeout.TotalMilliseconds > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"timeout {options.Timeout} must be positive and under 24 days");
        }
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        FfmpegProcess process;
        try
        {
            var executable = tool == FfmpegTool.Ffprobe ? Options.FfprobePath : Options.FfmpegPath;
            process = FfmpegProcess.Start(this, executable, arguments, options, cancellationToken);
        }
        catch
        {
            _slots.Release();
            throw;
        }
        _live[process] = 0;
        return process;
    }

    /// <summary>
    /// Runs a tool to the end, capturing stdout (at most <paramref name="maxOutputBytes"/>) while stderr is drained.
    /// A non-zero exit code is returned, not thrown; timeouts throw <see cref="MediaException"/> (Timeout).
    /// </summary>
    public async Task<FfmpegResult> RunAsync(FfmpegTool tool, IReadOnlyList<string> arguments, FfmpegStartOptions options, CancellationToken cancellationToken, int maxOutputBytes = 16 << 20)
    {
        await using var process = await StartAsync(tool, arguments, options, cancellationToken).ConfigureAwait(false);
        using var output = new MemoryStream();
        var buffer = new byte[81920];
        try
        {
            while (true)
            {
                var read = await process.StandardOutput.ReadAsync(buffer, process.Lifetime).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }
                if (output.Length + read > maxOutputBytes)
                {
                    throw new MediaException(MediaErrorKind.LimitExceeded, $"{tool} wrote more than {maxOutputBytes} bytes on stdout", options.SubjectPath, process.StderrTail);
                }
                output.Write(buffer, 0, read);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            process.KillTree();
            process.ThrowIfStopped();
            throw new MediaException(MediaErrorKind.ToolFailed, $"reading {tool} output failed: {e.Message}", options.SubjectPath, process.StderrTail, e);
        }
        var exitCode = await process.WaitForExitAsync().ConfigureAwait(false);
        return new FfmpegResult(exitCode, output.ToArray(), process.StderrTail, process.Elapsed);
    }

    internal void Release(FfmpegProcess process)
    {
        if (_live.TryRemove(process, out _))
        {
            _slots.Release();
        }
    }

    /// <summary>Kills every live tool process started by this runner.</summary>
    public void KillAll()
    {
        foreach (var process in _live.Keys)
        {
            process.KillOnShutdown();
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        AppDomain.CurrentDomain.ProcessExit -= _onProcessExit;
        foreach (var registration in _onTerminate)
        {
            registration.Dispose();
        }
        KillAll();
    }
}
