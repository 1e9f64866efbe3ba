namespace Provenance.Watermark.Tests.Support;

/// <summary>
/// Streams a clip through ffmpeg as raw yuv420p, lets a callback change each luma plane, and encodes the result;
/// and decodes a clip to sampled gray frames for an extractor. Frames never all sit in memory.
/// </summary>
internal static class ClipPipeline
{
    /// <summary>Decodes <paramref name="inputArgs"/> (ffmpeg input options and -i), marks each frame, encodes with <paramref name="encodeArgs"/>.</summary>
    public static async Task<int> TransformAsync(IReadOnlyList<string> inputArgs, int width, int height, double fps,
        IWatermarkEmbedder? embedder, IReadOnlyList<string> encodeArgs, string output, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(TimeSpan.FromMinutes(5));
        var fpsText = fps.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var decoder = FfmpegCli.Start("ffmpeg", [.. inputArgs, "-an", "-vf", $"scale={width}:{height},format=yuv420p", "-f", "rawvideo", "-"], false, true);
        using var encoder = FfmpegCli.Start("ffmpeg", ["-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", $"{width}x{height}", "-r", fpsText,
            "-i", "-", .. encodeArgs, "-y", output], true, false);
        var decErr = decoder.StandardError.ReadToEndAsync(cts.Token);
        var encErr = encoder.StandardError.ReadToEndAsync(cts.Token);
        var frameBytes = width * height * 3 / 2;
        var buffer = new byte[frameBytes];
        var frames = 0;
        try
        {
            var input = decoder.StandardOutput.BaseStream;
            var sink = encoder.StandardInput.BaseStream;
            while (true)
            {
                var got = 0;
                while (got < frameBytes)
                {
                    var n = await input.ReadAsync(buffer.AsMemory(got), cts.Token);
                    if (n == 0) break;
                    got += n;
                }
                if (got < frameBytes) break;
                embedder?.Embed(buffer.AsSpan(0, width * height), width, height, width, frames);
                await sink.WriteAsync(buffer, cts.Token);
                frames++;
            }
            sink.Close();
            await decoder.WaitForExitAsync(cts.Token);
            await encoder.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            decoder.Kill(true); encoder.Kill(true);
            throw;
        }
        if (decoder.ExitCode != 0) throw new InvalidOperationException($"decoder failed: {FfmpegCli.Tail(await decErr)}");
        if (encoder.ExitCode != 0) throw new InvalidOperationException($"encoder failed: {FfmpegCli.Tail(await encErr)}");
        return frames;
    }

    /// <summary>Feeds a clip's frames (gray, at most the extractor's analysis height, sampled at its rate) to an extractor.</summary>
    public static async Task<WatermarkDetection> DetectAsync(string path, IWatermarkExtractor extractor, CancellationToken ct,
        double? sampleFps = null)
    {
        var size = await FfmpegCli.ProbeAsync(path, ct);
        var profile = extractor.PreferredAnalysis;
        var (w, h) = profile.FrameSize(size.Width, size.Height);
        var rate = sampleFps ?? profile.FramesPerSecond;
        var filter = $"fps={rate.ToString(System.Globalization.CultureInfo.InvariantCulture)},scale={w}:{h}:flags=area,format=gray";
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(TimeSpan.FromMinutes(3));
        using var decoder = FfmpegCli.Start("ffmpeg", ["-i", path, "-an", "-vf", filter, "-f", "rawvideo", "-"], false, true);
        var err = decoder.StandardError.ReadToEndAsync(cts.Token);
        var buffer = new byte[w * h];
        long index = 0;
        await FfmpegCli.ReadExactlyOrEndAsync(decoder.StandardOutput.BaseStream, buffer, _ =>
        {
            extractor.Accumulate(buffer, w, h, w, index, index / rate);
            index++;
            return true;
        }, cts.Token);
        await decoder.WaitForExitAsync(cts.Token);
        if (decoder.ExitCode != 0) throw new InvalidOperationException($"decode failed: {FfmpegCli.Tail(await err)}");
        return extractor.Result();
    }
}
