using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Provenance.Testing;

/// <summary>Synthetic picture sources ffmpeg can render (lavfi).</summary>
public enum TestClipKind
{
    /// <summary>Moving colour pattern with a counter: every frame differs.</summary>
    TestSource2,
    /// <summary>Zooming fractal: rich, natural-ish texture.</summary>
    Mandelbrot,
    /// <summary>SMPTE HD colour bars: flat areas, mostly static.</summary>
    SmpteHdBars,
}

/// <summary>
/// Makes small H.264 MP4 test clips with ffmpeg and caches them for the life of the test process (one temp
/// folder, deleted when the process exits). Treat returned files as read-only: copy before modifying.
/// </summary>
public static class TestClips
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Made = new();
    private static readonly Lazy<string> Folder = new(CreateFolder);

    /// <summary>
    /// A clip of <paramref name="kind"/> at the given size, length and rate (libx264, yuv420p, +faststart, one
    /// key frame per second), optionally with a sine-tone AAC audio track.
    /// </summary>
    public static Task<string> CreateAsync(TestClipKind kind, int width, int height, double seconds, int fps, bool withAudio = false, CancellationToken cancellationToken = default)
    {
        var key = string.Create(CultureInfo.InvariantCulture, $"{kind}-{width}x{height}-{seconds:0.###}s-{fps}fps{(withAudio ? "-audio" : "")}");
        var lazy = Made.GetOrAdd(key, k => new Lazy<Task<string>>(() => RenderAsync(k, kind, width, height, seconds, fps, withAudio)));
        return lazy.Value.WaitAsync(cancellationToken);
    }

    /// <summary>Renders an arbitrary ffmpeg command into a new file in the cache folder (for odd inputs); returns its path.</summary>
    public static async Task<string> RenderWithAsync(string fileName, IReadOnlyList<string> ffmpegArguments, CancellationToken cancellationToken = default)
    {
        var path = Path.Combine(Folder.Value, fileName);
        var arguments = new List<string> { "-hide_banner", "-nostdin", "-v", "error", "-y" };
        arguments.AddRange(ffmpegArguments);
        arguments.Add(path);
        await RunFfmpegAsync(arguments, cancellationToken).ConfigureAwait(false);
        return path;
    }

    private static async Task<string> RenderAsync(string key, TestClipKind kind, int width, int height, double seconds, int fps, bool withAudio)
    {
        var path = Path.Combine(Folder.Value, key + ".mp4");
        var source = kind switch
        {
            TestClipKind.TestSource2 => "testsrc2",
            TestClipKind.Mandelbrot => "mandelbrot",
            TestClipKind.SmpteHdBars => "smptehdbars",
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        var duration = seconds.ToString("0.###", CultureInfo.InvariantCulture);
        var arguments = new List<string>
        {
            "-hide_banner", "-nostdin", "-v", "error", "-y",
            // Length as an input option: not every lavfi source (mandelbrot) takes a duration of its own.
            "-t", duration, "-f", "lavfi", "-i", string.Create(CultureInfo.InvariantCulture, $"{source}=s={width}x{height}:r={fps}"),
        };
        if (withAudio)
        {
            arguments.AddRange(["-f", "lavfi", "-i", $"sine=frequency=440:sample_rate=48000:d={duration}", "-c:a", "aac", "-b:a", "64k"]);
        }
        arguments.AddRange(["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", fps.ToString(CultureInfo.InvariantCulture),
            "-movflags", "+faststart", "-f", "mp4", path + ".part"]);
        await RunFfmpegAsync(arguments, CancellationToken.None).ConfigureAwait(false);
        File.Move(path + ".part", path, overwrite: true);
        return path;
    }

    private static async Task RunFfmpegAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException("ffmpeg did not start");
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        await Task.WhenAll(stderr, stdout).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg {string.Join(' ', arguments)} failed: {stderr.Result}");
        }
    }

    private static string CreateFolder()
    {
        var folder = Directory.CreateTempSubdirectory("provenance-clips-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        };
        return folder;
    }
}
