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

    /// <summary>The source frames of a clip as the encoders get them: raw yuv420p at the clip size and rate on stdout.</summary>
    private static Process StartSourceDecoder(IReadOnlyList<string> input, int width, int height, string rate) =>
        StartTool("ffmpeg", ["-loglevel", "error", .. input, "-an", "-vf", $"scale={width}:{height},format=yuv420p", "-r", rate, "-f", "rawvideo", "-"], false, true);

    /// <summary>Decodes input as raw yuv420p, optionally marks each luma plane, encodes at most <paramref name="maxFrames"/>
    /// frames; returns (frames, seconds spent marking, PSNR-Y of the mark itself before encoding).</summary>
    private static async Task<(int Frames, double MarkSeconds, double MarkPsnr)> TranscodeAsync(IReadOnlyList<string> input, int width, int height, double fps,
        Provenance.Watermark.IWatermarkEmbedder? embedder, IReadOnlyList<string> encode, string output, CancellationToken ct,
        int maxFrames = int.MaxValue)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(TimeSpan.FromMinutes(30));
        var rate = fps.ToString(CultureInfo.InvariantCulture);
        using var dec = StartSourceDecoder(input, width, height, rate);
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
            while (frames < maxFrames)
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
            // A resampled source can run a frame past the count asked for: the rest is not needed.
            if (frames == maxFrames && !dec.HasExited) dec.Kill(true);
            else await dec.WaitForExitAsync(cts.Token);
            await enc.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException) { dec.Kill(true); enc.Kill(true); throw; }
        catch (IOException e)
        {
            // The encoder closed its input early: its own message says why.
            dec.Kill(true);
            await enc.WaitForExitAsync(ct);
            throw new InvalidOperationException($"encode stopped reading after {frames} frames (exit {enc.ExitCode}): {(await encErr).Trim()}", e);
        }
        await dec.WaitForExitAsync(ct);
        if (dec.ExitCode != 0 && frames < maxFrames) throw new InvalidOperationException($"decode: {await decErr}");
        if (enc.ExitCode != 0) throw new InvalidOperationException($"encode: {await encErr}");
        var mse = squaredError / Math.Max(1.0, (double)frames * width * height);
        return (frames, marking.Elapsed.TotalSeconds, mse > 0 ? 10 * Math.Log10(255.0 * 255.0 / mse) : double.PositiveInfinity);
    }

    /// <summary>Decodes a clip to gray frames at the extractor's analysis size and rate.</summary>
    private static async Task<AnalysisClip> AnalysisFramesAsync(string path, Provenance.Watermark.WatermarkAnalysisProfile profile,
        CancellationToken ct)
    {
        var (w0, h0) = await ProbeSizeAsync(path, ct);
        var (w, h) = profile.FrameSize(w0, h0);
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

    /// <summary>Source frames for <see cref="CompareAsync"/>: decoded again exactly as <see cref="TranscodeAsync"/> feeds them
    /// to the encoder (same scaling and rate), so an encode can be compared with what it was given.</summary>
    private sealed record SourceFrames(IReadOnlyList<string> Input, int Width, int Height, double Fps);

    /// <summary>Mean Y PSNR and SSIM (ffmpeg psnr and ssim filters, luma as gray) of each pair of inputs, all in one ffmpeg
    /// pass. Inputs 0..files-1 are the files; when <paramref name="source"/> is given it is input number files.Count,
    /// piped in raw. PSNR is ffmpeg's summary (from the mean MSE over frames), SSIM the mean over frames.</summary>
    private static async Task<(double Psnr, double Ssim)[]> CompareAsync(IReadOnlyList<string> files, IReadOnlyList<(int A, int B)> pairs,
        SourceFrames? source, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(TimeSpan.FromMinutes(30));
        var inputs = files.Count + (source is null ? 0 : 1);
        var uses = new int[inputs];
        foreach (var (a, b) in pairs) { uses[a] += 2; uses[b] += 2; }
        var graph = new List<string>();
        var taken = new int[inputs];
        for (var k = 0; k < inputs; k++)
            if (uses[k] > 0) graph.Add($"[{k}:v]format=gray,split={uses[k]}" + string.Concat(Enumerable.Range(0, uses[k]).Select(j => $"[i{k}s{j}]")));
        string Next(int k) => $"[i{k}s{taken[k]++}]";
        for (var p = 0; p < pairs.Count; p++)
        {
            var (a, b) = pairs[p];
            graph.Add($"{Next(a)}{Next(b)}psnr@q{p}");
            graph.Add($"{Next(a)}{Next(b)}ssim@q{p}");
        }
        var args = new List<string> { "-nostats" };
        foreach (var f in files) args.AddRange(["-i", f]);
        if (source is not null)
            args.AddRange(["-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", $"{source.Width}x{source.Height}",
                "-r", source.Fps.ToString(CultureInfo.InvariantCulture), "-i", "-"]);
        args.AddRange(["-lavfi", string.Join(';', graph), "-f", "null", "-"]);

        string err;
        if (source is null) (_, err) = await RunToolAsync("ffmpeg", args, cts.Token);
        else
        {
            using var dec = StartSourceDecoder(source.Input, source.Width, source.Height, source.Fps.ToString(CultureInfo.InvariantCulture));
            using var cmp = StartTool("ffmpeg", args, true, false);
            var decErr = dec.StandardError.ReadToEndAsync(cts.Token);
            var cmpErr = cmp.StandardError.ReadToEndAsync(cts.Token);
            try
            {
                try { await dec.StandardOutput.BaseStream.CopyToAsync(cmp.StandardInput.BaseStream, cts.Token); cmp.StandardInput.Close(); }
                catch (IOException) { dec.Kill(true); } // the comparison stopped reading; its exit code and log say why
                await dec.WaitForExitAsync(cts.Token);
                await cmp.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException) { dec.Kill(true); cmp.Kill(true); throw; }
            err = await cmpErr;
            if (cmp.ExitCode != 0) throw new InvalidOperationException($"compare: {(err.Length > 1500 ? err[^1500..] : err)}");
            if (dec.ExitCode != 0) throw new InvalidOperationException($"source decode: {await decErr}");
        }
        return Enumerable.Range(0, pairs.Count).Select(p => (After(err, $"[psnr@q{p} @", "PSNR y:"), After(err, $"[ssim@q{p} @", "SSIM Y:"))).ToArray();
    }

    /// <summary>The number after <paramref name="label"/> in the last log line of one named filter instance (its summary,
    /// written when the graph closes; earlier lines of the same instance are warnings); NaN when absent.</summary>
    private static double After(string log, string instance, string label)
    {
        var at = log.LastIndexOf(instance, StringComparison.Ordinal);
        var i = at < 0 ? -1 : log.IndexOf(label, at, StringComparison.Ordinal);
        if (i < 0) return double.NaN;
        var rest = log[(i + label.Length)..].TrimStart();
        var end = 0;
        while (end < rest.Length && (char.IsDigit(rest[end]) || rest[end] is '.' or '-')) end++;
        if (rest.StartsWith("inf", StringComparison.Ordinal)) return double.PositiveInfinity;
        return double.Parse(rest[..end], CultureInfo.InvariantCulture);
    }
}
