using System.Text.Json.Nodes;
using Provenance.Detector.Classification;
using Provenance.Inference;
using Provenance.Inference.ModelCards;
using Provenance.Testing;

namespace Provenance.Detector.Tests.Classification;

[Collection(ShippedModelCollection.Name)]
public sealed class FrameClassifierTests(ShippedModelFixture fixture)
{
    [Fact]
    public void ShippedModel_LoadsWithACardWhoseHashMatchesTheFile()
    {
        var bytes = File.ReadAllBytes(HeldOutData.ShippedModel);
        Assert.Equal(VerifiedModel.Sha256Hex(bytes), fixture.Classifier.Summary.Sha256);
        Assert.Equal("full-frame", fixture.Classifier.Summary.Input);
        Assert.InRange(fixture.Classifier.Card.Threshold.Value, 0.0, 1.0);
        Assert.True(bytes.Length <= 20 << 20, "the shipped model must stay under 20 MB");
    }

    [Fact]
    public async Task Load_CardWithAnotherHash_IsRefused()
    {
        using var dir = new TempFolder();
        var (model, card) = CopyShipped(dir);
        var json = JsonNode.Parse(File.ReadAllText(card))!;
        json["sha256"] = new string('a', 64);
        File.WriteAllText(card, json.ToJsonString());
        var e = await Assert.ThrowsAsync<ModelCardException>(() => FrameClassifier.LoadAsync(model, InferenceOptions.Cpu));
        Assert.Contains("refused", e.Message);
    }

    [Fact]
    public async Task Load_ModelWithAFlippedByte_IsRefused()
    {
        using var dir = new TempFolder();
        var (model, _) = CopyShipped(dir);
        var bytes = File.ReadAllBytes(model);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(model, bytes);
        await Assert.ThrowsAsync<ModelCardException>(() => FrameClassifier.LoadAsync(model, InferenceOptions.Cpu));
    }

    [Fact]
    public async Task Load_CardWithAnUnknownKey_IsRefused()
    {
        using var dir = new TempFolder();
        var (model, card) = CopyShipped(dir);
        var json = JsonNode.Parse(File.ReadAllText(card))!;
        json["trustMe"] = true;
        File.WriteAllText(card, json.ToJsonString());
        await Assert.ThrowsAsync<ModelCardException>(() => FrameClassifier.LoadAsync(model, InferenceOptions.Cpu));
    }

    [Fact]
    public async Task Load_ModelWithoutACard_IsRefused()
    {
        using var dir = new TempFolder();
        var (model, card) = CopyShipped(dir);
        File.Delete(card);
        await Assert.ThrowsAsync<ModelCardException>(() => FrameClassifier.LoadAsync(model, InferenceOptions.Cpu));
    }

    [Fact]
    public async Task Score_HeldOutImages_RealStayBelowTheThresholdAndFakesScoreFarHigher()
    {
        var fakes = new List<RgbImage>();
        for (var i = 200; i < 212; i++)
        {
            fakes.Add(await fixture.DecodeAsync(HeldOutData.Fake(i)));
        }
        var photo = await fixture.DecodeAsync(HeldOutData.RealGroupPhoto);
        var reals = new List<RgbImage> { photo };
        reals.AddRange(Tiles(photo, 3));
        var threshold = fixture.Classifier.Card.Threshold.Value;

        var fakeScores = fixture.Classifier.Score(fakes);
        var realScores = fixture.Classifier.Score(reals);

        // The card's threshold is calibrated for a 5% false-positive rate: no held-out real image may cross it, a
        // good share of the generated faces must, and the generated faces must score far higher on average.
        Assert.All(realScores, s => Assert.True(s < threshold, $"held-out real image scored {s:0.###} >= threshold {threshold:0.###}"));
        Assert.True(fakeScores.Count(s => s >= threshold) >= fakeScores.Length / 4, $"only {fakeScores.Count(s => s >= threshold)} of {fakeScores.Length} held-out fakes reach the threshold");
        Assert.True(fakeScores.Average() > realScores.Average() + 0.3, $"mean fake {fakeScores.Average():0.###} vs mean real {realScores.Average():0.###}");
    }

    [Fact]
    public void Score_BatchesGiveTheSameScoresAsSingleImages()
    {
        var images = Enumerable.Range(0, 5).Select(i => Noise(96 + i * 10, 80, seed: i)).ToList();
        var batched = fixture.Classifier.Score(images);
        var single = images.Select(img => fixture.Classifier.Score([img])[0]).ToArray();
        for (var i = 0; i < images.Count; i++)
        {
            Assert.Equal(single[i], batched[i], 5);
            Assert.InRange(batched[i], 0.0, 1.0);
        }
    }

    internal static RgbImage Noise(int width, int height, int seed)
    {
        var px = new byte[width * height * 3];
        new Random(seed).NextBytes(px);
        return new RgbImage(width, height, px);
    }

    /// <summary>Square crops of an image, <paramref name="n"/> along its width (real photographs of people and scenes).</summary>
    internal static IEnumerable<RgbImage> Tiles(RgbImage image, int n)
    {
        var side = image.Width / n;
        var top = Math.Max(0, (image.Height - side) / 2);
        for (var t = 0; t < n; t++)
        {
            var px = new byte[side * side * 3];
            for (var y = 0; y < side; y++)
            {
                image.Pixels.Span.Slice(((top + y) * image.Width + t * side) * 3, side * 3).CopyTo(px.AsSpan(y * side * 3));
            }
            yield return new RgbImage(side, side, px);
        }
    }

    private static (string Model, string Card) CopyShipped(TempFolder dir)
    {
        var model = dir.File("baseline-ganfaces.onnx");
        var card = dir.File("baseline-ganfaces.card.json");
        File.Copy(HeldOutData.ShippedModel, model);
        File.Copy(VerifiedModel.CardPathFor(HeldOutData.ShippedModel), card);
        return (model, card);
    }
}
