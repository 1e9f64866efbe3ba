using System.Diagnostics;
using System.Globalization;

namespace Provenance.Watermark.Tests.Support;

/// <summary>Runs ffmpeg/ffprobe for the tests: ArgumentList only, stdout and stderr drained concurrently, bounded in time.</summary>
internal static class FfmpegCli
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    public static Process Start(string tool, IEnumerable<string> args, bool redirectStdin, bool redirectStdout)
    {
        var psi = new ProcessStartInfo(tool)
        {
            RedirectStandardError = true,
            RedirectStandardInput = redirectStdin,
            RedirectStandardOutput = redirectStdout,
            UseShellExecute = false,
        };
        if (tool == "ffmpeg") { psi.ArgumentList.Add("-hide_banner"); psi.ArgumentList.Add("-loglevel"); psi.ArgumentList.Add("error"); }
        if (tool == "ffmpeg" && !redirectStdin) psi.ArgumentList.Add("-nostdin");
        foreach (var a in args) psi.ArgumentList.Add(a);
        return Process.Start(psi) ?? throw new InvalidOperationException($"could not start {tool}");
    }

    /// <summary>Runs a tool to completion; throws with the stderr tail unless it exits 0.</summary>
    public static async Task<string> RunAsync(string tool, IEnumerable<string> args, CancellationToken ct, TimeSpan? timeout = null)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout ?? DefaultTimeout);
        using var p = Start(tool, args, false, true);
        var stdout = p.StandardOutput.ReadToEndAsync(cts.Token);
        var stderr = p.StandardError.ReadToEndAsync(cts.Token);
        try
        {
            await p.WaitForExitAsync(cts.Token);
            var err = await stderr;
            if (p.ExitCode != 0) throw new InvalidOperationException($"{tool} exited {p.ExitCode}: {Tail(err)}");
            return await stdout;
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw;
        }
    }

    public static async Task<VideoSize> ProbeAsync(string path, CancellationToken ct)
    {
        var text = await RunAsync("ffprobe", ["-v", "error", "-select_streams", "v:0", "-count_packets",
            "-show_entries", "stream=width,height,avg_frame_rate,nb_read_packets", "-of", "csv=p=0", path], ct);
        var parts = text.Trim().Split(',');
        var rate = parts[2].Split('/');
        var fps = double.Parse(rate[0], CultureInfo.InvariantCulture) / Math.Max(1, double.Parse(rate[1], CultureInfo.InvariantCulture));
        return new VideoSize(int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture),
            fps, int.Parse(parts[3], CultureInfo.InvariantCulture));
    }

    /// <summary>Runs ffmpeg and returns its stderr (where filters such as psnr/ssim report).</summary>
    public static async Task<string> RunStderrAsync(IEnumerable<string> args, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(DefaultTimeout);
        var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add("-hide_banner"); psi.ArgumentList.Add("-nostdin");
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start ffmpeg");
        var stdout = p.StandardOutput.ReadToEndAsync(cts.Token);
        var stderr = p.StandardError.ReadToEndAsync(cts.Token);
        try { await p.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException) { p.Kill(true); throw; }
        await stdout;
        var err = await stderr;
        if (p.ExitCode != 0) throw new InvalidOperationException($"ffmpeg exited {p.ExitCode}: {Tail(err)}");
        return err;
    }

    /// <summary>The number after the last occurrence of a label (e.g. "PSNR y:" or "SSIM Y:").</summary>
    public static double ParseAverage(string log, string label)
    {
        var i = log.LastIndexOf(label, StringComparison.Ordinal);
        if (i < 0) throw new InvalidOperationException($"'{label}' not in ffmpeg output: {Tail(log)}");
        var rest = log[(i + label.Length)..].TrimStart();
        var end = 0;
        while (end < rest.Length && (char.IsDigit(rest[end]) || rest[end] is '.' or '-')) end++;
        return double.Parse(rest[..end], CultureInfo.InvariantCulture);
    }

    public static string Tail(string s) => s.Length <= 2000 ? s : s[^2000..];

    public static async Task ReadExactlyOrEndAsync(Stream s, byte[] buffer, Func<int, bool> onComplete, CancellationToken ct)
    {
        while (true)
        {
            var got = 0;
            while (got < buffer.Length)
            {
                var n = await s.ReadAsync(buffer.AsMemory(got), ct);
                if (n == 0) break;
                got += n;
            }
            if (got < buffer.Length) return;
            if (!onComplete(got)) return;
        }
    }
}

internal sealed record VideoSize(int Width, int Height, double FramesPerSecond, int Frames);

