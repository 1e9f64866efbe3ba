using System.Diagnostics;
using System.Globalization;

namespace Provenance.Bench;

/// <summary>ffmpeg plumbing for the watermark benchmark: raw-frame pipes and filter reports.</summary>
internal static partial class WatermarkBench
{
    private static Process StartTool(string tool, IEnumerable<string> args, bool stdin, bool stdout)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardInput = stdin, RedirectStandardOutput = stdout, UseShellExecute = false };
        if (tool == "ffmpeg") { psi.ArgumentList.Add("-hide_banner"); if (!stdin) psi.ArgumentList.Add("-nostdin"); }
        foreach (var a in args) psi.ArgumentList.Add(a);
        return Process.Start(psi) ?? throw new InvalidOperationException($"could not start {tool}");
    }

    /// <summary>Runs a tool; returns stdout and stderr; throws with the stderr tail unless it exits 0.</summary>
    private static async Task<(string Out, string Err)> RunToolAsync(string tool, IEnumerable<string> args, CancellationToken ct, int timeoutMinutes = 30)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(TimeSpan.FromMinutes(timeoutMinutes));
        using var p = StartTool(tool, args, false, true);
        var o = p.StandardOutput.ReadToEndAsync(cts.Token);
        var e = p.StandardError.ReadToEndAsync(cts.Token);
        try { await p.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException) { p.Kill(true); throw; }
        var err = await e;
        if (p.ExitCode != 0) throw new InvalidOperationException($"{tool} exited {p.ExitCode}: {(err.Length > 1500 ? err[^1500..] : err)}");
        return (await o, err);
    }

    private static async Task<(int Width, int Height)> ProbeSizeAsync(string path, CancellationToken ct)
    {
        var (o, _) = await RunToolAsync("ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height", "-of", "csv=p=0", path], ct);
        var parts = o.Trim().Split(',');
        return (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    /// <summary>Decodes input as raw yuv420p, optionally marks each luma plane, encodes; returns (frames, seconds spent marking,
    /// PSNR-Y of the mark itself before encoding).</summary>
    private static async Task<(int Frames, double MarkSeconds, double MarkPsnr)> TranscodeAsync(IReadOnlyList<string> input, int width, int height, double fps,
        Provenance.Watermark.IWatermarkEmbedder? embedder, IReadOnlyList<string> encode, string output, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(TimeSpan.FromMinutes(30));
        var rate = fps.ToString(CultureInfo.InvariantCulture);
        using var dec = StartTool("ffmpeg", ["-loglevel", "error", .. input, "-an", "-vf", $"scale={width}:{height},format=yuv420p", "-r", rate, "-f", "rawvideo", "-"], false, true);
        using var enc = StartTool("ffmpeg", ["-loglevel", "error", "-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", $"{width}x{height}", "-r", rate, "-i", "-", .. encode, "-y", output], true, false);
        var decErr = dec.StandardError.ReadToEndAsync(cts.Token);
        var encErr = enc.StandardError.ReadToEndAsync(cts.Token);
        var size = width * height * 3 / 2;
        var buffer = new byte[size];
        var frames = 0;
        var marking = new Stopwatch();
        var before = new byte[width * height];
        double squaredError = 0;
        try
        {
            var src = dec.StandardOutput.BaseStream;
            var dst = enc.StandardInput.BaseStream;
            while (true)
            {
                var got = 0;
                while (got < size) { var n = await src.ReadAsync(buffer.AsMemory(got), cts.Token); if (n == 0) break; got += n; }
                if (got < size) break;
                if (embedder is not null)
                {
                    buffer.AsSpan(0, before.Length).CopyTo(before);
                    marking.Start();
                    embedder.Embed(buffer.AsSpan(0, width * height), width, height, width, frames);
                    marking.Stop();
                    for (var p = 0; p < before.Length; p++) { var d = buffer[p] - before[p]; squaredError += d * d; }
                }
                await dst.WriteAsync(buffer, cts.Token);
                frames++;
            }
            dst.Close();
            await dec.WaitForExitAsync(cts.Token);
            await enc.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException) { dec.Kill(true); enc.Kill(true); throw; }
        if (dec.ExitCode != 0) throw new InvalidOperationException($"decode: {await decErr}");
        if (enc.ExitCode != 0) throw new InvalidOperationException($"encode: {await encErr}");
        var mse = squaredError / Math.Max(1.0, (double)frames * width * height);
        return (frames, marking.Elapsed.TotalSeconds, mse > 0 ? 10 * Math.Log10(255.0 * 255.0 / mse) : double.PositiveInfinity);
    }

    /// <summary>Decodes a clip to gray frames at the extractor's analysis size and rate.</summary>
    private static async Task<AnalysisClip> AnalysisFramesAsync(string path, Provenance.Watermark.WatermarkAnalysisProfile profile,
        CancellationToken ct)
    {
        var (w0, h0) = await ProbeSizeAsync(path, ct);
        var h = Math.Min(h0, profile.Height);
        var w = h == h0 ? w0 : Math.Max(2, (int)Math.Round((double)w0 * h / h0 / 2) * 2);
        return await AnalysisFramesFromAsync(["-i", path], w, h, profile.FramesPerSecond, ct);
    }

    /// <summary>Decodes any ffmpeg input straight to gray frames of a given size and rate.</summary>
    private static async Task<AnalysisClip> AnalysisFramesFromAsync(IReadOnlyList<string> input, int w, int h, double fps, CancellationToken ct)
    {
        var rate = fps.ToString(CultureInfo.InvariantCulture);
        using var dec = StartTool("ffmpeg", ["-loglevel", "error", .. input, "-an", "-vf", $"fps={rate},scale={w}:{h}:flags=area,format=gray", "-f", "rawvideo", "-"], false, true);
        var err = dec.StandardError.ReadToEndAsync(ct);
        var frames = new List<(byte[] Luma, double Time)>();
        var src = dec.StandardOutput.BaseStream;
        while (true)
        {
            var buffer = new byte[w * h];
            var got = 0;
            while (got < buffer.Length) { var n = await src.ReadAsync(buffer.AsMemory(got), ct); if (n == 0) break; got += n; }
            if (got < buffer.Length) break;
            frames.Add((buffer, frames.Count / fps));
        }
        await dec.WaitForExitAsync(ct);
        if (dec.ExitCode != 0) throw new InvalidOperationException($"analysis decode: {await err}");
        return new AnalysisClip(w, h, frames, fps);
    }

    private sealed record AnalysisClip(int Width, int Height, List<(byte[] Luma, double Time)> Frames, double FramesPerSecond = 8);

    /// <summary>Mean Y PSNR and SSIM of a against b (ffmpeg psnr and ssim filters).</summary>
    private static async Task<(double Psnr, double Ssim)> CompareAsync(string a, string b, CancellationToken ct)
    {
        var (_, err) = await RunToolAsync("ffmpeg", ["-nostats", "-i", a, "-i", b, "-lavfi",
            "[0:v]format=gray,split[a1][a2];[1:v]format=gray,split[b1][b2];[a1][b1]psnr;[a2][b2]ssim", "-f", "null", "-"], ct);
        return (After(err, "PSNR y:"), After(err, "SSIM Y:"));
    }

    private static double After(string log, string label)
    {
        var i = log.LastIndexOf(label, StringComparison.Ordinal);
        if (i < 0) return double.NaN;
        var rest = log[(i + label.Length)..].TrimStart();
        var end = 0;
        while (end < rest.Length && (char.IsDigit(rest[end]) || rest[end] is '.' or '-')) end++;
        return rest[..end] == "inf" ? double.PositiveInfinity : double.Parse(rest[..end], CultureInfo.InvariantCulture);
    }
}
