using Provenance.Watermark.Tests.Support;

namespace Provenance.Watermark.Tests;

/// <summary>Marks a few short ffmpeg test-source clips once (x264 CRF 23) for the round-trip tests; deleted afterwards.</summary>
public sealed class MarkedClipsFixture : IAsyncLifetime
{
    public const ulong Payload = 0x0123456789abcdef;
    public const int Width = 640, Height = 360;
    public static readonly WatermarkKey Key = WatermarkKey.Parse("5f1e0c2d9a8b7c6d5e4f30211203f4e5d6c7b8a9f0e1d2c3b4a5968778695a4b");

    /// <summary>Content kinds: a fractal zoom and a test card, both under temporal film-grain noise (flat synthetic content
    /// without texture carries almost no mark by design: the mask keeps flat areas and smooth ramps untouched).</summary>
    public static readonly IReadOnlyDictionary<string, string> Sources = new Dictionary<string, string>
    {
        ["grainy_mandelbrot"] = $"mandelbrot=size={Width}x{Height}:rate=30,noise=alls=8:allf=t",
        ["grainy_testcard"] = $"testsrc2=size={Width}x{Height}:rate=30,noise=alls=20:allf=t",
    };

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "wm-tests-" + Guid.NewGuid().ToString("N"));

    public string Marked(string kind) => Path.Combine(Folder, kind + ".marked.mp4");
    public string Plain(string kind) => Path.Combine(Folder, kind + ".plain.mp4");

    public static readonly string[] Encode = ["-c:v", "libx264", "-crf", "23", "-preset", "medium", "-pix_fmt", "yuv420p"];

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Folder);
        foreach (var (kind, source) in Sources)
        {
            string[] input = ["-f", "lavfi", "-i", source, "-t", "3"];
            await ClipPipeline.TransformAsync(input, Width, Height, 30, new TiledWatermarkEmbedder(Key, Payload), Encode, Marked(kind), CancellationToken.None);
            if (kind == "grainy_mandelbrot")
                await ClipPipeline.TransformAsync(input, Width, Height, 30, null, Encode, Plain(kind), CancellationToken.None);
        }
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Folder, recursive: true);
        return Task.CompletedTask;
    }
}
