using System.Diagnostics;
using System.Text.Json;
using Provenance.Testing;

namespace Provenance.Cli.Tests;

/// <summary><c>provenance watermark embed</c> and <c>detect</c> run as separate processes, with real ffmpeg.</summary>
public sealed class WatermarkCommandTests : IDisposable
{
    private const string Key = "5f0c8e1a9b7d3c2e4f6a8b0c1d2e3f405f0c8e1a9b7d3c2e4f6a8b0c1d2e3f40";
    private readonly string _work = Directory.CreateTempSubdirectory("provenance-cli-watermark-").FullName;

    private Dictionary<string, string> Environment(string key = Key) => new()
    {
        ["Provenance__Watermark__Key"] = key,
        ["Provenance__DataDirectory"] = Path.Combine(_work, "data"),
    };

    [Fact]
    public async Task EmbeddedPayload_IsDetectedInAMirroredReencode_WithItsOrientation_AndNotUnderAnotherKey()
    {
        // Textured content (a fractal with film grain): the mark is strength-limited on flat pictures.
        var clip = Path.Combine(_work, "source.mp4");
        await FfmpegAsync("-f", "lavfi", "-i", "mandelbrot=s=960x540:r=25,noise=alls=10:allf=t", "-t", "5", "-pix_fmt", "yuv420p",
            "-c:v", "libx264", "-crf", "18", "-preset", "veryfast", "-y", clip);
        var marked = Path.Combine(_work, "marked.mp4");
        var mirrored = Path.Combine(_work, "mirrored.mp4");

        var embed = await CliProcess.RunAsync(Environment(), _work, "watermark", "embed", clip, marked, "--payload", "00c0ffee0badf00d");
        Assert.True(embed.ExitCode == 0, embed.Stdout + embed.Stderr);
        Assert.Contains("embed: 100% (125/125 frames)", embed.Stderr); // progress on clips over 100 frames
        await FfmpegAsync("-i", marked, "-vf", "hflip", "-c:v", "libx264", "-crf", "23", "-preset", "veryfast", "-y", mirrored);

        var detect = await CliProcess.RunAsync(Environment(), _work, "watermark", "detect", mirrored, "--json");
        var other = await CliProcess.RunAsync(Environment(Key.Replace('5', '6')), _work, "watermark", "detect", mirrored, "--json");

        Assert.True(detect.ExitCode == 0, detect.Stdout + detect.Stderr);
        var found = JsonDocument.Parse(detect.Stdout).RootElement;
        Assert.True(found.GetProperty("found").GetBoolean());
        Assert.Equal("00c0ffee0badf00d", found.GetProperty("payload").GetString());
        Assert.Equal("mirrored", found.GetProperty("orientation").GetString());
        Assert.InRange(found.GetProperty("pValue").GetDouble(), 0, 1e-9);
        Assert.True(found.GetProperty("framesUsed").GetInt32() >= 20, detect.Stdout);
        Assert.NotEmpty(found.GetProperty("segments").EnumerateArray());

        Assert.True(other.ExitCode == 3, other.Stdout + other.Stderr);
        var notFound = JsonDocument.Parse(other.Stdout).RootElement;
        Assert.False(notFound.GetProperty("found").GetBoolean());
        Assert.False(notFound.TryGetProperty("payload", out _));
        Assert.False(notFound.TryGetProperty("orientation", out _));
        Assert.True(notFound.GetProperty("pValue").GetDouble() > 1e-6, other.Stdout);
    }

    [Fact]
    public async Task Embed_WithABadPayload_SaysWhat_AndWritesNothing()
    {
        var clip = await TestClips.CreateAsync(TestClipKind.Mandelbrot, 320, 240, 1, 25);
        var output = Path.Combine(_work, "out.mp4");

        var result = await CliProcess.RunAsync(Environment(), _work, "watermark", "embed", clip, output, "--payload", "not-hex");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--payload must be 1-16 hexadecimal digits", result.Stderr);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task Detect_OnAFileThatIsNotVideo_FailsWithAMediaError()
    {
        var junk = Path.Combine(_work, "junk.mp4");
        await File.WriteAllBytesAsync(junk, new byte[4096]);

        var result = await CliProcess.RunAsync(Environment(), _work, "watermark", "detect", junk, "--json");

        Assert.Equal(1, result.ExitCode);
        Assert.False(string.IsNullOrWhiteSpace(result.Stderr));
        Assert.Empty(result.Stdout.Trim());
    }

    private static async Task FfmpegAsync(params string[] args)
    {
        var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-v");
        psi.ArgumentList.Add("error");
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, stderr);
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
