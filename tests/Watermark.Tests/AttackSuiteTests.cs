using Provenance.Watermark.Tests.Support;

namespace Provenance.Watermark.Tests;

public sealed class AttackSuiteTests
{
    [Fact]
    public void AttackNames_AreUnique_AndCoverThePlatformTable()
    {
        var all = WatermarkAttacks.Platform.Concat(WatermarkAttacks.VideoSealProtocol).ToList();
        Assert.Equal(all.Count, all.Select(a => a.Name).Distinct().Count());
        foreach (var name in new[] { "identity", "h264_crf23", "h265_crf28", "vp9_crf40", "av1_crf40", "platform_720p", "downscale_0.5x",
                     "crop_10pct", "crop_25pct", "hflip", "rotate_3deg", "screen_recording", "trim_2s", "frame_drop" })
            Assert.Contains(WatermarkAttacks.Platform, a => a.Name == name);
    }

    [Fact]
    public async Task EveryAttack_RunsThroughFfmpegOnASmallClip()
    {
        var folder = Path.Combine(Path.GetTempPath(), "wm-attacks-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var source = Path.Combine(folder, "src.mp4");
            await FfmpegCli.RunAsync("ffmpeg", ["-f", "lavfi", "-i", "testsrc2=size=192x108:rate=30", "-t", "0.4", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-y", source], CancellationToken.None);
            foreach (var attack in WatermarkAttacks.Platform.Concat(WatermarkAttacks.VideoSealProtocol))
            {
                var output = Path.Combine(folder, $"{attack.Name}.{attack.Extension}");
                await FfmpegCli.RunAsync("ffmpeg", ["-i", source, .. attack.Arguments, "-an", "-y", output], CancellationToken.None);
                Assert.True(new FileInfo(output).Length > 0, attack.Name);
            }
        }
        finally { Directory.Delete(folder, true); }
    }
}
