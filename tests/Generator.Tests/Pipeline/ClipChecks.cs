using System.Diagnostics;
using Provenance.Media;
using Provenance.Watermark;

namespace Provenance.Generator.Tests.Pipeline;

/// <summary>What tests do to released clips: platform-style re-encodes and watermark reads.</summary>
internal static class ClipChecks
{
    /// <summary>Re-encodes the way a platform would: scaled to <paramref name="height"/> lines, x264 CRF 28, metadata and C2PA boxes stripped.</summary>
    public static async Task PlatformReencodeAsync(string input, string output, int height)
    {
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-hide_banner", "-nostdin", "-v", "error", "-y", "-i", input, "-map_metadata", "-1", "-vf", $"scale=-2:{height}",
            "-c:v", "libx264", "-crf", "28", "-preset", "veryfast", "-pix_fmt", "yuv420p", output })
        {
            info.ArgumentList.Add(a);
        }
        using var process = Process.Start(info)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, stderr);
    }

    public static async Task<WatermarkDetection> ReadWatermarkAsync(FfmpegRunner runner, WatermarkKey key, string path)
    {
        var extractor = new TiledWatermarkExtractor(key);
        var profile = extractor.PreferredAnalysis;
        var source = new FrameSource(runner);
        var probe = await new VideoProber(runner).ProbeAsync(path, null, CancellationToken.None);
        var options = new FrameSourceOptions
        {
            PixelFormat = RawPixelFormat.Gray,
            Height = profile.FrameSize(probe.Width, probe.Height).Height,
            SampleRate = profile.FramesPerSecond,
        };
        await foreach (var frame in source.ReadFramesAsync(path, options, CancellationToken.None))
        {
            using (frame)
            {
                extractor.Accumulate(frame.Plane0, frame.Width, frame.Height, frame.Width, frame.Index, frame.Timestamp.TotalSeconds);
            }
        }
        return extractor.Result();
    }

    /// <summary>Perceptual hashes of every <paramref name="everyNthFrame"/>-th frame of a clip (frames 0, N, 2N, ...).</summary>
    public static async Task<IReadOnlyList<ulong>> FrameHashesAsync(string path, int everyNthFrame)
    {
        var size = Provenance.Media.Fingerprints.PerceptualHash.InputSize;
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-hide_banner", "-nostdin", "-v", "error", "-i", path, "-vf", $"select=not(mod(n\\,{everyNthFrame})),scale={size}:{size}:flags=area,format=gray",
            "-fps_mode", "passthrough", "-f", "rawvideo", "pipe:1" })
        {
            info.ArgumentList.Add(a);
        }
        using var process = Process.Start(info)!;
        using var pixels = new MemoryStream();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.BaseStream.CopyToAsync(pixels);
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await stderr);
        var bytes = pixels.ToArray();
        var hashes = new List<ulong>();
        for (var offset = 0; offset + size * size <= bytes.Length; offset += size * size)
        {
            hashes.Add(Provenance.Media.Fingerprints.PerceptualHash.Compute(bytes.AsSpan(offset, size * size)));
        }
        return hashes;
    }

    /// <summary>Files in a folder, hidden temporaries included.</summary>
    public static string[] FilesIn(string folder) => Directory.GetFiles(folder).Select(Path.GetFileName).OfType<string>().Order().ToArray();
}
