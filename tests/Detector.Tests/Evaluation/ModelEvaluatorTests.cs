using System.Text.Json.Nodes;
using Provenance.Detector.Classification;
using Provenance.Detector.Evaluation;
using Provenance.Detector.Tests.Classification;
using Provenance.Detector.Tests.Scanning;
using Provenance.Inference;
using Provenance.Inference.ModelCards;
using Provenance.Testing;

namespace Provenance.Detector.Tests.Evaluation;

[Collection(ShippedModelCollection.Name)]
public sealed class ModelEvaluatorTests(ShippedModelFixture fixture)
{
    [Fact]
    public async Task Evaluate_MixedFolder_ScoresImagesAndClipsAndSkipsWhatCannotBeDecoded()
    {
        using var dir = new TempFolder();
        var real = Directory.CreateDirectory(Path.Combine(dir.Path, "real")).FullName;
        var fake = Directory.CreateDirectory(Path.Combine(dir.Path, "fake", "gan")).FullName;
        File.Copy(HeldOutData.RealGroupPhoto, Path.Combine(real, "group.jpg"));
        File.Copy(await DetectorClips.MandelbrotAsync(320, 240, 3, 25), Path.Combine(real, "clip.mp4"));
        File.WriteAllText(Path.Combine(real, "broken.png"), "not a png");
        File.WriteAllText(Path.Combine(real, "readme.txt"), "ignored: not an image or clip");
        for (var i = 200; i < 204; i++)
        {
            File.Copy(HeldOutData.Fake(i), Path.Combine(fake, $"{i}.png"));
        }

        var evaluator = new ModelEvaluator(fixture.Classifier, fixture.Sampler);
        var run = await evaluator.EvaluateAsync(dir.Path, 0.01, null, CancellationToken.None);

        Assert.Equal(7, run.Items.Count);
        Assert.Equal(1, run.Skipped);
        Assert.Contains(run.Items, i => i.Path.EndsWith("broken.png", StringComparison.Ordinal) && i.Score is null && i.Error is not null);
        Assert.Equal(3, run.Items.Single(i => i.Path.EndsWith("clip.mp4", StringComparison.Ordinal)).Frames);
        Assert.Equal((2, 4), (run.Result.RealCount, run.Result.FakeCount));
        var realScores = run.Items.Where(i => !i.Fake && i.Score is not null).Select(i => i.Score!.Value).ToList();
        var fakeScores = run.Items.Where(i => i.Fake).Select(i => i.Score!.Value).ToList();
        Assert.Equal(DetectionMetrics.RocAuc(realScores, fakeScores), run.Result.Auc, 12);
    }

    [Fact]
    public async Task Evaluate_FolderWithoutFake_IsRefused()
    {
        using var dir = new TempFolder();
        Directory.CreateDirectory(Path.Combine(dir.Path, "real"));
        var evaluator = new ModelEvaluator(fixture.Classifier, fixture.Sampler);
        await Assert.ThrowsAsync<DirectoryNotFoundException>(() => evaluator.EvaluateAsync(dir.Path, 0.01, null, CancellationToken.None));
    }

    [Fact]
    public async Task Calibrate_WritesOnlyTheThresholdAndTheModelStillLoads()
    {
        using var dir = new TempFolder();
        var model = dir.File("baseline-ganfaces.onnx");
        var card = dir.File("baseline-ganfaces.card.json");
        File.Copy(HeldOutData.ShippedModel, model);
        File.Copy(VerifiedModel.CardPathFor(HeldOutData.ShippedModel), card);
        var before = JsonNode.Parse(File.ReadAllText(card))!.AsObject();

        await ThresholdCalibration.WriteAsync(card, 0.4242, 0.005, "test set: 10 real", CancellationToken.None);

        var after = JsonNode.Parse(File.ReadAllText(card))!.AsObject();
        Assert.Equal(0.4242, after["threshold"]!["value"]!.GetValue<double>());
        Assert.Equal(0.005, after["threshold"]!["falsePositiveRate"]!.GetValue<double>());
        Assert.Equal("test set: 10 real", after["threshold"]!["calibrationSet"]!.GetValue<string>());
        foreach (var (key, value) in before.Where(kv => kv.Key != "threshold"))
        {
            Assert.True(JsonNode.DeepEquals(value, after[key]), $"card key {key} changed");
        }
        using var reloaded = await FrameClassifier.LoadAsync(model, InferenceOptions.Cpu);
        Assert.Equal(0.4242, reloaded.Card.Threshold.Value);
    }
}
