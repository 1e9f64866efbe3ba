using System.ComponentModel;
using System.Diagnostics;
using System.IO.Pipes;

namespace Provenance.Media;

/// <summary>
/// One running ffmpeg/ffprobe process: its pipes, a concurrently drained stderr tail, and a lifetime bounded by
/// the caller's token and a timeout, after which the whole process tree is killed. Disposing kills a process
/// that is still running and frees its concurrency slot.
/// </summary>
public sealed class FfmpegProcess : IAsyncDisposable
{
    private readonly FfmpegRunner _runner;
    private readonly Process _process;
    private readonly StderrTail _stderr;
    private readonly Task _stderrPump;
    private readonly CancellationTokenSource _lifetime;
    private readonly CancellationTokenSource _timeout;
    private readonly CancellationToken _callerToken;
    private readonly CancellationTokenRegistration _killOnCancel;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _disposed;

    private FfmpegProcess(FfmpegRunner runner, Process process, FfmpegStartOptions options, CancellationToken callerToken)
    {
        _runner = runner;
        _process = process;
        Id = process.Id;
        _callerToken = callerToken;
        SubjectPath = options.SubjectPath;
        _stderr = new StderrTail(runner.Options.StderrTailBytes);
        _timeout = new CancellationTokenSource(options.Timeout);
        _lifetime = CancellationTokenSource.CreateLinkedTokenSource(callerToken, _timeout.Token);
        _stderrPump = Task.Run(() => PumpStderrAsync(process.StandardError.BaseStream));
        _killOnCancel = _lifetime.Token.Register(static state => ((FfmpegProcess)state!).KillTree(), this);
    }

    /// <summary>The operating-system process id.</summary>
    public int Id { get; }

    /// <summary>The file this run is about, when there is one.</summary>
    public string? SubjectPath { get; }

    /// <summary>The tool's stdout (raw bytes).</summary>
    public Stream StandardOutput => _process.StandardOutput.BaseStream;

    /// <summary>The tool's stdin; only when started with <see cref="FfmpegStartOptions.RedirectStandardInput"/>.</summary>
    public Stream StandardInput => _process.StandardInput.BaseStream;

    /// <summary>Fires when the run is cancelled by the caller or its timeout passes (the process is then being killed).</summary>
    public CancellationToken Lifetime => _lifetime.Token;

    /// <summary>True once the timeout has passed.</summary>
    public bool TimedOut => _timeout.IsCancellationRequested;

    /// <summary>The last bytes written on stderr so far.</summary>
    public string StderrTail => _stderr.ToString();

    /// <summary>How long the process has been running.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    internal static FfmpegProcess Start(FfmpegRunner runner, string executable, IReadOnlyList<string> arguments, FfmpegStartOptions options, CancellationToken callerToken)
    {
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = options.RedirectStandardInput,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        info.Environment["AV_LOG_FORCE_NOCOLOR"] = "1";
        var process = new Process { StartInfo = info };
        try
        {
            if (!process.Start())
            {
                throw new MediaException(MediaErrorKind.ToolMissing, $"{executable} did not start", options.SubjectPath);
            }
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException or PlatformNotSupportedException)
        {
            process.Dispose();
            throw new MediaException(MediaErrorKind.ToolMissing, $"cannot start {executable}: {e.Message}", options.SubjectPath, inner: e);
        }
        PipeCapacity.TryEnlarge(process.StandardOutput.BaseStream);
        if (options.RedirectStandardInput)
        {
            PipeCapacity.TryEnlarge(process.StandardInput.BaseStream);
        }
        return new FfmpegProcess(runner, process, options, callerToken);
    }

    /// <summary>
    /// Waits for the process to exit and for stderr to be drained. Throws <see cref="OperationCanceledException"/>
    /// when the caller cancelled and <see cref="MediaException"/> (Timeout) when the time limit passed.
    /// </summary>
    public async Task<int> WaitForExitAsync()
    {
        try
        {
            await _process.WaitForExitAsync(_lifetime.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            KillTree();
            await WaitForKilledAsync().ConfigureAwait(false);
            ThrowIfStopped();
            throw;
        }
        await _stderrPump.ConfigureAwait(false);
        ThrowIfStopped();
        return _process.ExitCode;
    }

    /// <summary>Throws when the run was cancelled (OperationCanceledException) or timed out (MediaException Timeout).</summary>
    public void ThrowIfStopped()
    {
        if (_callerToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("the ffmpeg run was cancelled", _callerToken);
        }
        if (_timeout.IsCancellationRequested)
        {
            throw new MediaException(MediaErrorKind.Timeout, $"ffmpeg run passed its time limit after {Elapsed.TotalSeconds:0.#} s and was stopped", SubjectPath, StderrTail);
        }
    }

    /// <summary>Kills the process and every child it started; safe to call at any time.</summary>
    public void KillTree()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already exited or never started.
        }
        catch (Win32Exception)
        {
            // Exited while being killed.
        }
        catch (NotSupportedException)
        {
        }
    }

    private async Task WaitForKilledAsync()
    {
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
            await _stderrPump.WaitAsync(grace.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task PumpStderrAsync(Stream stderr)
    {
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var read = await stderr.ReadAsync(buffer).ConfigureAwait(false);
                if (read == 0)
                {
                    return;
                }
                _stderr.Append(buffer.AsSpan(0, read));
            }
        }
        catch (IOException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        KillTree();
        await WaitForKilledAsync().ConfigureAwait(false);
        _killOnCancel.Dispose();
        _lifetime.Dispose();
        _timeout.Dispose();
        _runner.Release(this);
        _process.Dispose();
    }

    /// <summary>Synchronous kill used when the host shuts down.</summary>
    internal void KillOnShutdown() => KillTree();
}
