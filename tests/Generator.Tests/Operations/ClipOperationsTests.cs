using System.Diagnostics;
using Provenance.Generator.Operations;
using Provenance.Generator.Pipeline;
using Provenance.Generator.Tests.Pipeline;
using Provenance.Media;
using Provenance.Signer.Verification;
using Provenance.Testing;

namespace Provenance.Generator.Tests.Operations;

public sealed class ClipOperationsTests : IDisposable
{
    private readonly PipelineFixture _parts = new();
    private readonly TempFolder _dir = new("provenance-generator-ops-");

    public void Dispose()
    {
        _parts.Dispose();
        _dir.Dispose();
    }

    private async Task<string> RenderAsync(string name, string source)
    {
        var path = _dir.File(name);
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-hide_banner", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", source }.Concat(
            name.EndsWith(".png", StringComparison.Ordinal) ? ["-frames:v", "1", path] : ["-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", path]))
        {
            info.ArgumentList.Add(a);
        }
        using var p = Process.Start(info)!;
        var err = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, err);
        return path;
    }

    /// <summary>An unstamped clip with natural-image texture (procedural frames encoded by ffmpeg).</summary>
    private async Task<string> ProceduralClipAsync(string name, int width, int height, int fps, double seconds)
    {
        var path = _dir.File(name);
        var options = new FrameSinkOptions { Width = width, Height = height, FrameRate = new Rational(fps, 1), Preset = "veryfast" };
        await using var sink = await FrameSink.StartAsync(_parts.Runner, path, options, null, CancellationToken.None);
        await foreach (var frame in new Provenance.Generator.Procedural.ProceduralBackend().GenerateAsync(new Backends.GenerationRequest("a forest by a lake", 3, width, height, fps, seconds), Provenance.Generator.Frames.FramePool.Shared, default))
        {
            using (frame)
            {
                await sink.WriteFrameAsync(frame.Memory, CancellationToken.None);
            }
        }
        await sink.CompleteAsync(CancellationToken.None);
        return path;
    }

    private async Task<(StampResult Result, VideoProbe Probe)> StampAsync(FrameStream stream, string name, StampingOptions? options = null)
    {
        var output = _dir.File(Path.Combine("out", name));
        var result = await _parts.Pipeline(options: options).StampAsync(stream, output, null, null, CancellationToken.None);
        var verdict = await C2paVerifier.VerifyAsync(output, _parts.Trust, CancellationToken.None);
        Assert.Equal(C2paState.Trusted, verdict.State);
        await _parts.AssertTrustedByC2paRsAsync(output);
        await _parts.AssertWatermarkSurvivesPlatformAsync(output, result.Receipt.AssetId);
        return (result, await new VideoProber(_parts.Runner).ProbeAsync(output, null, CancellationToken.None));
    }

    [Fact]
    public async Task Animate_TurnsAStillIntoAMovingStampedClip()
    {
        var still = await ProceduralClipAsync("still-source.mp4", 1920, 1080, 24, 0.05);
        var image = _dir.File("still.png");
        await RenderAsync("still.png", $"movie={still.Replace(":", "\\:")}");
        // Stamped with the product's default x264 preset (medium), not the tests' faster one: on moving content the
        // faster preset's encode leaves the mark too weak to read after the platform re-encode for some payloads
        // (docs/generator.md).
        var stream = new ClipOperations(_parts.Runner).Animate(image, 1280, 720, 24, 8, AnimationMotion.Parallax);
        var (result, probe) = await StampAsync(stream, "animated.mp4", new StampingOptions());

        Assert.Equal("animate", result.Receipt.Backend);
        Assert.Equal(192, result.Receipt.Frames);
        Assert.Equal((1280, 720), (probe.Width, probe.Height));
        // The camera moves: first and last key-frame fingerprints differ.
        Assert.NotEqual(result.Receipt.Fingerprints[0], LastFrameHash(result.ClipPath));
    }

    private string LastFrameHash(string clip)
    {
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "-v", "error", "-sseof", "-0.2", "-i", clip, "-vf", "scale=32:32,format=gray", "-frames:v", "1", "-f", "rawvideo", "pipe:1" })
        {
            info.ArgumentList.Add(a);
        }
        using var p = Process.Start(info)!;
        using var ms = new MemoryStream();
        p.StandardOutput.BaseStream.CopyTo(ms);
        p.WaitForExit();
        return Provenance.Media.Fingerprints.PerceptualHash.Compute(ms.ToArray()).ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Interpolate_RaisesTheFrameRate()
    {
        var clip = await RenderAsync("low-rate.mp4", "testsrc2=size=1280x720:rate=12:duration=2,noise=alls=12:allf=t");
        var stream = await new ClipOperations(_parts.Runner).InterpolateAsync(clip, 24, CancellationToken.None);
        var (result, probe) = await StampAsync(stream, "smooth.mp4");

        Assert.Equal("interpolate", result.Receipt.Backend);
        Assert.Equal(24, probe.FrameRate.ToDouble(), 3);
        Assert.InRange(result.Receipt.Frames, 44, 50);
    }

    [Fact]
    public async Task Extend_ContinuesTheClipPastItsEnd()
    {
        var clip = await RenderAsync("short.mp4", "testsrc2=size=1280x720:rate=24:duration=1,noise=alls=12:allf=t");
        var stream = await new ClipOperations(_parts.Runner).ExtendAsync(clip, 2, _dir.Path, CancellationToken.None);
        var (result, probe) = await StampAsync(stream, "longer.mp4");

        Assert.Equal("extend", result.Receipt.Backend);
        Assert.Equal(72, result.Receipt.Frames);
        Assert.Equal(3.0, probe.Duration!.Value.TotalSeconds, 1);
        Assert.DoesNotContain(Directory.GetFiles(_dir.Path), f => f.EndsWith(".png", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Import_StampsAClipMadeElsewhere()
    {
        var clip = await ProceduralClipAsync("elsewhere.mp4", 1280, 720, 25, 6);
        var stream = await new ClipOperations(_parts.Runner).ImportAsync(clip, CancellationToken.None);
        var (result, probe) = await StampAsync(stream, "imported.mp4");

        Assert.Equal("import", result.Receipt.Backend);
        Assert.Equal(150, result.Receipt.Frames);
        Assert.Equal(25, probe.FrameRate.ToDouble(), 3);
        var watermark = await ClipChecks.ReadWatermarkAsync(_parts.Runner, _parts.WatermarkKey, result.ClipPath);
        Assert.True(result.Receipt.AssetId == watermark.PayloadHex, $"p={watermark.PValue} sync={watermark.SyncScore} bits={watermark.RawBitAgreement} frames={watermark.FramesUsed} scale={watermark.Scale} note={watermark.Note}");
    }

    [Fact]
    public async Task Import_KeepsTheCredentialsOfASignedClipAsItsParentIngredient()
    {
        var plain = await ProceduralClipAsync("made-elsewhere.mp4", 1280, 720, 24, 5);
        var signedElsewhere = _dir.File("signed-elsewhere.mp4");
        var parentManifest = new Provenance.Signer.Manifest.ClipManifest
        {
            Title = "made-elsewhere.mp4",
            Generator = new Provenance.Signer.Manifest.SoftwareAgent("Another generator", "2.0"),
        };
        await Provenance.Signer.Embedding.Mp4Embedder.SignAsync(plain, signedElsewhere, parentManifest, _parts.Signer, null, CancellationToken.None);
        var parentLabel = (await C2paVerifier.VerifyAsync(signedElsewhere, _parts.Trust, CancellationToken.None)).ActiveManifest!.Label;

        var stream = await new ClipOperations(_parts.Runner).ImportAsync(signedElsewhere, CancellationToken.None);
        var (result, _) = await StampAsync(stream, "restamped.mp4");

        var verdict = await C2paVerifier.VerifyAsync(result.ClipPath, _parts.Trust, CancellationToken.None);
        Assert.NotEqual(parentLabel, verdict.ActiveManifest!.Label);
        var ingredient = Assert.Single(verdict.ActiveManifest.Ingredients);
        Assert.Equal("parentOf", ingredient.Relationship);
        Assert.Contains(parentLabel, ingredient.ActiveManifest!, StringComparison.Ordinal);
        Assert.True(verdict.Has(ValidationCodes.IngredientManifestValidated), string.Join("; ", verdict.Statuses.Select(s => s.Code)));
        Assert.Empty(verdict.Failures);
    }

    [Fact]
    public async Task Import_OfAnUnsignedClip_HasNoIngredient()
    {
        var plain = await ProceduralClipAsync("unsigned.mp4", 1280, 720, 24, 5);
        var stream = await new ClipOperations(_parts.Runner).ImportAsync(plain, CancellationToken.None);
        var (result, _) = await StampAsync(stream, "first-stamp.mp4");

        var verdict = await C2paVerifier.VerifyAsync(result.ClipPath, _parts.Trust, CancellationToken.None);
        Assert.Empty(verdict.ActiveManifest!.Ingredients);
    }

    [Fact]
    public async Task OversizedInput_IsRefusedBeforeAnyWork()
    {
        var clip = await RenderAsync("huge.mp4", "testsrc2=size=2560x1440:rate=24:duration=0.1");
        await Assert.ThrowsAsync<Backends.GenerationRequestException>(() => new ClipOperations(_parts.Runner).ImportAsync(clip, CancellationToken.None));
    }
}
