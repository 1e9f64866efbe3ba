using Provenance.Detector.Classification;
using Provenance.Detector.Sampling;
using Provenance.Inference;
using Provenance.Media;

namespace Provenance.Detector.Tests.Classification;

/// <summary>The shipped baseline loaded once for the tests that score with it, and an ffmpeg runner to decode inputs.</summary>
public sealed class ShippedModelFixture : IAsyncLifetime
{
    public FrameClassifier Classifier { get; private set; } = null!;
    public FfmpegRunner Runner { get; } = new();
    public FrameSampler Sampler => new(Runner);

    public async Task InitializeAsync() =>
        Classifier = await FrameClassifier.LoadAsync(HeldOutData.ShippedModel, InferenceOptions.Cpu, cancellationToken: CancellationToken.None);

    public Task DisposeAsync()
    {
        Classifier?.Dispose();
        Runner.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Decodes one image file to rgb24 at its own size.</summary>
    public Task<RgbImage> DecodeAsync(string path) => DecodeImageAsync(Sampler, path);

    public static async Task<RgbImage> DecodeImageAsync(FrameSampler sampler, string path)
    {
        var options = new FrameSamplingOptions { SampleRate = 1, MaxFrames = 1, MaxSide = 4096 };
        var probe = await sampler.ProbeAsync(path, options, CancellationToken.None);
        var sampled = await sampler.SampleAsync(probe, options, CancellationToken.None);
        return Assert.Single(sampled.Frames).Image;
    }
}

[CollectionDefinition(Name)]
public sealed class ShippedModelCollection : ICollectionFixture<ShippedModelFixture>
{
    public const string Name = "shipped model";
}
