using System.Security.Cryptography;
using Provenance.Generator.Backends;
using Provenance.Generator.Onnx;
using Provenance.Generator.Tests.Pipeline;
using Provenance.Generator.Tests.Procedural;
using Provenance.Inference;
using Provenance.Signer.Verification;
using Provenance.Testing;

namespace Provenance.Generator.Tests.Onnx;

public sealed class OnnxBackendTests
{
    private const int NoiseChannels = 4;

    /// <summary>A tiny frame model built here: noise [B,4,H,W] → Conv 3x3 (4→3) → Sigmoid → frame [B,3,H,W].</summary>
    private static (byte[] Model, FrameModelCard Card) TinyModel(int width, int height, int batch, float redBias)
    {
        var random = new Random(7);
        var weights = Enumerable.Range(0, 3 * NoiseChannels * 9).Select(_ => (float)(random.NextDouble() - 0.5) * 0.6f).ToArray();
        var bias = new[] { redBias, 0f, 0f };
        var model = new OnnxModelBuilder("tiny-frames")
            .Input("noise", batch, NoiseChannels, height, width)
            .Initializer("w", [3, NoiseChannels, 3, 3], weights)
            .Initializer("b", [3], bias)
            .Node("Conv", ["noise", "w", "b"], ["conv"], ("kernel_shape", new long[] { 3, 3 }), ("pads", new long[] { 1, 1, 1, 1 }))
            .Node("Sigmoid", ["conv"], ["frame"])
            .Output("frame", batch, 3, height, width)
            .ToBytes();
        var card = new FrameModelCard
        {
            Name = "tiny-frames",
            Version = "1",
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(model)),
            Noise = new NoiseInput("noise", NoiseChannels, height, width),
            Output = new FrameOutput("frame", 3, height, width),
            Batch = batch,
        };
        return (model, card);
    }

    [Fact]
    public async Task TinyModel_StreamsDeterministicFramesOfTheRequestedSize()
    {
        var (model, card) = TinyModel(64, 36, batch: 4, redBias: 0);
        using var backend = OnnxBackend.Create(model, card, InferenceOptions.Cpu);
        var request = new GenerationRequest("a glowing field", 3, 128, 72, 24, 0.5);
        var frames = await FrameStatistics.CollectAsync(backend, request);

        Assert.Equal(12, frames.Count);
        Assert.All(frames, f => Assert.Equal(128 * 72 * 3 / 2, f.Length));
        Assert.Equal("cpu", backend.Device);
        Assert.Equal(await FrameStatistics.HashClipAsync(backend, request), await FrameStatistics.HashClipAsync(backend, request));
        Assert.NotEqual(await FrameStatistics.HashClipAsync(backend, request), await FrameStatistics.HashClipAsync(backend, request with { Seed = 4 }));
        // Noise blends between one-second keys: neighbouring frames are close, not identical.
        var luma = 128 * 72;
        var diff = Enumerable.Range(0, luma).Average(i => Math.Abs(frames[0][i] - frames[1][i]));
        Assert.InRange(diff, 0.01, 10);
    }

    [Fact]
    public async Task ModelOutput_DecidesTheColour()
    {
        var (plainModel, plainCard) = TinyModel(32, 18, batch: 1, redBias: 0);
        var (redModel, redCard) = TinyModel(32, 18, batch: 1, redBias: 4);
        using var plain = OnnxBackend.Create(plainModel, plainCard, InferenceOptions.Cpu);
        using var red = OnnxBackend.Create(redModel, redCard, InferenceOptions.Cpu);
        var request = new GenerationRequest("x", 1, 64, 36, 24, 0.05);
        var crOffset = 64 * 36 + 32 * 18;
        var plainCr = FrameStatistics.Mean((await FrameStatistics.CollectAsync(plain, request))[0].AsSpan(crOffset, 32 * 18));
        var redCr = FrameStatistics.Mean((await FrameStatistics.CollectAsync(red, request))[0].AsSpan(crOffset, 32 * 18));
        Assert.True(redCr > plainCr + 20, $"Cr {redCr:F1} vs {plainCr:F1}");
    }

    [Fact]
    public void ModelWhoseBytesDoNotMatchItsCard_IsRefused()
    {
        var (model, card) = TinyModel(32, 18, 1, 0);
        var ex = Assert.Throws<GenerationRequestException>(() => OnnxBackend.Create(model, card with { Sha256 = new string('0', 64) }, InferenceOptions.Cpu));
        Assert.Contains("hash", ex.Message);
    }

    [Fact]
    public void CardNamingAnInputTheModelLacks_IsRefused()
    {
        var (model, card) = TinyModel(32, 18, 1, 0);
        var ex = Assert.Throws<GenerationRequestException>(() => OnnxBackend.Create(model, card with { Noise = card.Noise with { Name = "latents" } }, InferenceOptions.Cpu));
        Assert.Contains("latents", ex.Message);
    }

    [Fact]
    public async Task ModelAndCardFiles_LoadAndTheOutputIsStampedAndTrusted()
    {
        using var dir = new TempFolder("provenance-generator-onnx-");
        using var parts = new PipelineFixture();
        var (model, card) = TinyModel(640, 360, batch: 4, redBias: 0.5f);
        var path = dir.File("tiny.onnx");
        await File.WriteAllBytesAsync(path, model);
        await File.WriteAllTextAsync(path + FrameModelCard.Suffix, card.ToJson());
        using var backend = OnnxBackend.Load(path, InferenceOptions.Cpu);

        var result = await parts.Pipeline().GenerateAsync(new GenerationRequest("noise study", 9, 1280, 720, 24, 5), backend, dir.File("onnx.mp4"), null, CancellationToken.None);

        Assert.Equal("onnx", result.Receipt.Backend);
        Assert.Equal("cpu", result.Receipt.Device);
        Assert.Equal("tiny-frames/1", result.Receipt.Model);
        Assert.Equal(120, result.Receipt.Frames);
        Assert.Equal(C2paState.Trusted, (await C2paVerifier.VerifyAsync(result.ClipPath, parts.Trust, CancellationToken.None)).State);
        await parts.AssertTrustedByC2paRsAsync(result.ClipPath);
        await parts.AssertWatermarkSurvivesPlatformAsync(result.ClipPath, result.Receipt.AssetId);
    }
}
