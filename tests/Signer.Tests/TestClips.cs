namespace Provenance.Signer.Tests;

/// <summary>Tiny ffmpeg-made clips shared by the tests (made once per test run, read-only for tests).</summary>
public static class TestClips
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static readonly Dictionary<string, string> Made = [];
    private static readonly string Folder = Path.Combine(Path.GetTempPath(), "provenance-signer-clips-" + Environment.ProcessId);

    /// <summary>A 2 s 320x240 H.264 MP4 (moov at the end, as ffmpeg writes by default).</summary>
    public static Task<string> PlainAsync() => MakeAsync("plain.mp4", ["-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", "-t", "2", "-pix_fmt", "yuv420p", "-c:v", "libx264", "-preset", "ultrafast"]);

    /// <summary>The same clip with moov first (faststart).</summary>
    public static Task<string> FastStartAsync() => MakeAsync("faststart.mp4", ["-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", "-t", "2", "-pix_fmt", "yuv420p", "-c:v", "libx264", "-preset", "ultrafast", "-movflags", "+faststart"]);

    /// <summary>A fragmented MP4 (empty moov, one moof per keyframe).</summary>
    public static Task<string> FragmentedAsync() => MakeAsync("fragmented.mp4", ["-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", "-t", "2", "-pix_fmt", "yuv420p", "-c:v", "libx264", "-preset", "ultrafast", "-g", "10", "-movflags", "frag_keyframe+empty_moov+default_base_moof"]);

    /// <summary>A QuickTime MOV with audio.</summary>
    public static Task<string> MovAsync() => MakeAsync("clip.mov", ["-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", "-f", "lavfi", "-i", "sine=frequency=440", "-t", "2", "-pix_fmt", "yuv420p", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac"]);

    private static async Task<string> MakeAsync(string name, string[] args)
    {
        await Gate.WaitAsync();
        try
        {
            if (Made.TryGetValue(name, out var existing)) return existing;
            Directory.CreateDirectory(Folder);
            var path = Path.Combine(Folder, name);
            var (code, _, stderr) = await C2paCheck.RunProcessAsync("ffmpeg", ["-hide_banner", "-nostdin", "-v", "error", "-y", .. args, path], Folder);
            if (code != 0 || !File.Exists(path)) throw new InvalidOperationException($"ffmpeg failed: {stderr}");
            Made[name] = path;
            return path;
        }
        finally
        {
            Gate.Release();
        }
    }
}
