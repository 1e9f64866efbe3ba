using Provenance.Testing;

namespace Provenance.Detector.Tests.Scanning;

/// <summary>Hostile and broken inputs for scans, each written into a test's own folder.</summary>
internal static class BadInputs
{
    public static string Text(TempFolder dir)
    {
        var path = dir.File("notes.mp4");
        File.WriteAllText(path, "this is not a video, whatever its name says\n");
        return path;
    }

    public static string Empty(TempFolder dir)
    {
        var path = dir.File("empty.mp4");
        File.WriteAllBytes(path, []);
        return path;
    }

    /// <summary>The first 40% of an MP4 whose index (moov) sits at the end: the index is lost.</summary>
    public static async Task<string> TruncatedWithoutIndex(TempFolder dir)
    {
        var whole = dir.File("whole.mp4");
        File.Copy(await TestClips.RenderWithAsync("moov-at-end-det.mp4", ["-f", "lavfi", "-i", "testsrc2=s=320x240:r=25:d=2", "-c:v", "libx264", "-preset", "ultrafast"]), whole, true);
        return Truncate(dir, whole, 0.4, "truncated-no-index.mp4");
    }

    /// <summary>The first 60% of a fast-start MP4: the index survives, the later samples are gone.</summary>
    public static async Task<string> TruncatedAfterIndex(TempFolder dir)
    {
        var clip = await DetectorClips.MandelbrotAsync(320, 240, 3, 25);
        return Truncate(dir, clip, 0.6, "truncated-faststart.mp4");
    }

    /// <summary>A Y4M header claiming a 20000x20000 picture, followed by a few bytes.</summary>
    public static string HugeHeader(TempFolder dir)
    {
        var path = dir.File("huge.y4m");
        File.WriteAllText(path, "YUV4MPEG2 W20000 H20000 F25:1 Ip A1:1 C420jpeg\nFRAME\nabc");
        return path;
    }

    /// <summary>One second of video whose timestamps are stretched 40000 times: it claims to last about ten hours.</summary>
    public static async Task<string> TenHours(TempFolder dir)
    {
        var clip = await TestClips.CreateAsync(TestClipKind.TestSource2, 160, 120, 1, 10);
        var path = dir.File("ten-hours.mp4");
        await Ffmpeg(["-itsscale", "40000", "-i", clip, "-c", "copy", path]);
        return path;
    }

    /// <summary>A valid MP4 whose video sample entry names an unknown codec (fourcc "zzzz").</summary>
    public static async Task<string> UnknownCodec(TempFolder dir)
    {
        var clip = await TestClips.CreateAsync(TestClipKind.TestSource2, 160, 120, 1, 10);
        var bytes = File.ReadAllBytes(clip);
        var stsd = IndexOf(bytes, "stsd"u8, 0);
        var entry = IndexOf(bytes, "avc1"u8, stsd);
        "zzzz"u8.CopyTo(bytes.AsSpan(entry));
        var path = dir.File("unknown-codec.mp4");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>A playable clip carrying a C2PA manifest box whose store is garbage (appended after the media).</summary>
    public static async Task<string> CorruptManifest(TempFolder dir)
    {
        var clip = await DetectorClips.MandelbrotAsync(320, 240, 2, 25);
        var garbage = new byte[300];
        new Random(5).NextBytes(garbage);
        var path = dir.File("corrupt-manifest.mp4");
        File.WriteAllBytes(path, [.. File.ReadAllBytes(clip), .. Provenance.Formats.Bmff.C2paBmffBox.CreateManifest(garbage)]);
        return path;
    }

    public static async Task<string> OneFrame(TempFolder dir)
    {
        var path = dir.File("one-frame.mp4");
        await Ffmpeg(["-f", "lavfi", "-i", "mandelbrot=s=320x240:r=25", "-frames:v", "1", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", path]);
        return path;
    }

    private static string Truncate(TempFolder dir, string source, double fraction, string name)
    {
        var bytes = File.ReadAllBytes(source);
        var path = dir.File(name);
        File.WriteAllBytes(path, bytes.AsSpan(0, (int)(bytes.Length * fraction)).ToArray());
        return path;
    }

    private static int IndexOf(byte[] haystack, ReadOnlySpan<byte> needle, int from)
    {
        var i = haystack.AsSpan(from).IndexOf(needle);
        if (i < 0)
        {
            throw new InvalidOperationException("box not found in test clip");
        }
        return from + i;
    }

    private static async Task Ffmpeg(IReadOnlyList<string> args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("ffmpeg") { RedirectStandardError = true };
        foreach (var a in (string[])["-hide_banner", "-nostdin", "-v", "error", "-y", .. args])
        {
            psi.ArgumentList.Add(a);
        }
        using var p = System.Diagnostics.Process.Start(psi)!;
        var err = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException("ffmpeg failed: " + err);
        }
    }
}
