using System.Collections.Concurrent;
using System.Globalization;
using Provenance.Media;
using Provenance.Testing;
using Provenance.Watermark;

namespace Provenance.Detector.Tests.Scanning;

/// <summary>Textured test clips (ffmpeg's mandelbrot source), rendered once per size and length for the test run.</summary>
internal static class DetectorClips
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Made = new();

    public static Task<string> MandelbrotAsync(int width, int height, double seconds, int fps)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"detector-mandelbrot-{width}x{height}-{seconds}s-{fps}.mp4");
        return Made.GetOrAdd(name, n => new Lazy<Task<string>>(() => TestClips.RenderWithAsync(n,
        [
            "-f", "lavfi", "-i", string.Create(CultureInfo.InvariantCulture, $"mandelbrot=s={width}x{height}:r={fps}"),
            "-t", seconds.ToString(CultureInfo.InvariantCulture), "-c:v", "libx264", "-preset", "ultrafast",
            "-pix_fmt", "yuv420p", "-movflags", "+faststart",
        ]))).Value;
    }

    /// <summary>
    /// The mandelbrot source with temporal grain: texture the watermark's mask marks (it leaves flat areas and smooth
    /// ramps, most of the plain fractal, unmarked on purpose).
    /// </summary>
    public static Task<string> GrainyMandelbrotAsync(int width, int height, double seconds, int fps)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"detector-grainy-mandelbrot-{width}x{height}-{seconds}s-{fps}.mp4");
        return Made.GetOrAdd(name, n => new Lazy<Task<string>>(() => TestClips.RenderWithAsync(n,
        [
            "-f", "lavfi", "-i", string.Create(CultureInfo.InvariantCulture, $"mandelbrot=s={width}x{height}:r={fps}"),
            "-t", seconds.ToString(CultureInfo.InvariantCulture), "-vf", "noise=alls=12:allf=t", "-c:v", "libx264", "-preset", "ultrafast",
            "-pix_fmt", "yuv420p", "-movflags", "+faststart",
        ]))).Value;
    }

    /// <summary>A 3 s 640x360 textured clip with the mark embedded in every frame's luma, encoded with libx264 into <paramref name="output"/>.</summary>
    public static async Task<string> WatermarkedAsync(FfmpegRunner runner, WatermarkKey key, ulong payload, string output)
    {
        var source = await GrainyMandelbrotAsync(640, 360, 3, 25);
        var embedder = new TiledWatermarkEmbedder(key, payload);
        await using var sink = await FrameSink.StartAsync(runner, output,
            new FrameSinkOptions { Width = 640, Height = 360, FrameRate = new Rational(25, 1), Preset = "veryfast" }, null, CancellationToken.None);
        await foreach (var frame in new FrameSource(runner).ReadFramesAsync(source, new FrameSourceOptions { PixelFormat = RawPixelFormat.Yuv420p }, CancellationToken.None))
        {
            using (frame)
            {
                embedder.Embed(frame.Plane0, frame.Width, frame.Height, frame.Width, frame.Index);
                await sink.WriteFrameAsync(frame, CancellationToken.None);
            }
        }
        await sink.CompleteAsync(CancellationToken.None);
        return output;
    }
}
