using System.Buffers.Binary;
using Provenance.Media.Fingerprints;
using Provenance.Testing;

namespace Provenance.Media.Tests.Fingerprints;

public sealed class ClipFingerprinterTests : IDisposable
{
    private readonly FfmpegRunner _runner = new();
    private readonly TempFolder _dir = new();

    public void Dispose()
    {
        _runner.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task Fingerprints_OneHashPerKeyFrame()
    {
        // Test clips carry one key frame per second.
        var clip = await TestClips.CreateAsync(TestClipKind.Mandelbrot, 320, 180, 3, 25);
        var hashes = await new ClipFingerprinter(_runner).FingerprintAsync(clip, CancellationToken.None);
        Assert.Equal(3, hashes.Count);
        Assert.True(hashes.Distinct().Count() > 1, "a zooming fractal changes between key frames");
    }

    [Fact]
    public async Task ReencodedSmallerCopy_HashesAlmostAlike()
    {
        var clip = await TestClips.CreateAsync(TestClipKind.Mandelbrot, 640, 360, 1, 25);
        var copy = await TestClips.RenderWithAsync($"fp-copy-{Guid.NewGuid():N}.mp4",
            ["-i", clip, "-vf", "scale=426:240", "-c:v", "libx264", "-crf", "32", "-preset", "ultrafast", "-map_metadata", "-1"]);
        var fingerprinter = new ClipFingerprinter(_runner);
        var original = await fingerprinter.FingerprintAsync(clip, CancellationToken.None);
        var reencoded = await fingerprinter.FingerprintAsync(copy, CancellationToken.None);
        var d = PerceptualHash.Distance(original[0], reencoded[0]);
        Assert.True(d <= 10, $"distance {d}");
    }

    [Fact]
    public async Task NotAVideo_ThrowsMediaException()
    {
        var path = _dir.File("text.mp4");
        await File.WriteAllTextAsync(path, "not a video at all");
        await Assert.ThrowsAsync<MediaException>(() => new ClipFingerprinter(_runner).FingerprintAsync(path, CancellationToken.None));
    }

    [Fact]
    public void ToBytes_WritesEachHashBigEndianInOrder()
    {
        var bytes = ClipFingerprinter.ToBytes([0x0102_0304_0506_0708UL, 0xffee_ddcc_bbaa_9988UL]);
        Assert.Equal(16, bytes.Length);
        Assert.Equal(0x0102_0304_0506_0708UL, BinaryPrimitives.ReadUInt64BigEndian(bytes));
        Assert.Equal(0xffee_ddcc_bbaa_9988UL, BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(8)));
    }
}
