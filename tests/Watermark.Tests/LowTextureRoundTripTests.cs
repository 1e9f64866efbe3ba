using Provenance.Watermark.Tests.Support;

namespace Provenance.Watermark.Tests;

/// <summary>
/// Low-texture content after a platform-style re-encode (720p, x264 CRF 28): real street footage (Debian's opencv-doc
/// vtest.avi, soft and upscaled) and a soft, cloudy, procedural-style scene. The texture-only mask left such frames
/// almost unmarked; the coarse-scale texture reading and the mask minimum must carry the mark through.
/// </summary>
public sealed class LowTextureRoundTripTests
{
    private const string RealFootage = "/usr/share/doc/opencv-doc/examples/data/vtest.avi";
    private static readonly WatermarkKey Key = WatermarkKey.Parse("8d3c1b2a09f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e");
    private const ulong Payload = 0xfeedc0de12345678;

    /// <summary>Two octaves of soft value noise (large blurred clouds with faint finer detail, like the generator's fractal
    /// skies and ground), drifting slowly.</summary>
    private const string SoftScene =
        "color=c=0x5a7090:size=64x36:rate=30,noise=c0s=60:c0f=u,scale=1440x810:flags=bicubic,gblur=sigma=8[a];"
        + "color=c=0x808080:size=360x202:rate=30,noise=c0s=24:c0f=u,scale=1440x810:flags=bicubic,gblur=sigma=1.2[b];"
        + "[a][b]blend=all_mode=overlay,scroll=h=0.0008:v=0.0003,crop=1280:720";

    public static TheoryData<string> Sources => new() { "real_footage", "soft_procedural_scene" };

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task LowTextureClip_AfterPlatformReencodeAt720pCrf28_YieldsPayload(string kind)
    {
        string[] input = kind == "real_footage"
            ? ["-ss", "2", "-t", "4", "-i", RealFootage]
            : ["-f", "lavfi", "-i", SoftScene, "-t", "4"];
        if (kind == "real_footage" && !File.Exists(RealFootage))
            Assert.Fail($"real footage missing: install Debian's opencv-doc ({RealFootage})");
        var folder = Path.Combine(Path.GetTempPath(), "wm-lowtex-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var marked = Path.Combine(folder, "marked.mp4");
            var reencoded = Path.Combine(folder, "platform.mp4");
            await ClipPipeline.TransformAsync(input, 1280, 720, 30, new TiledWatermarkEmbedder(Key, Payload), MarkedClipsFixture.Encode, marked, CancellationToken.None);
            await FfmpegCli.RunAsync("ffmpeg", ["-i", marked, "-vf", "scale=-2:720", "-c:v", "libx264", "-crf", "28", "-preset", "medium",
                "-pix_fmt", "yuv420p", "-map_metadata", "-1", "-an", "-y", reencoded], CancellationToken.None);

            var result = await ClipPipeline.DetectAsync(reencoded, new TiledWatermarkExtractor(Key), CancellationToken.None);
            Assert.True(result.Found, $"{kind}: p={result.PValue:g3} sync={result.SyncScore:f2} raw={result.RawBitAgreement:f3}");
            Assert.Equal(Payload, result.Payload);

            var wrongKey = await ClipPipeline.DetectAsync(reencoded, new TiledWatermarkExtractor(WatermarkKey.Generate()), CancellationToken.None);
            Assert.False(wrongKey.Found, $"{kind}: found under a random key");
            Assert.True(wrongKey.PValue > 1e-6, $"{kind}: wrong-key p={wrongKey.PValue:g3}");
        }
        finally { Directory.Delete(folder, true); }
    }
}
