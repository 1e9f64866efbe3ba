using Provenance.Detector.Classification;
using Provenance.Detector.Reports;

namespace Provenance.Detector.Tests.Classification;

[Collection(ShippedModelCollection.Name)]
public sealed class ClipScoringTests(ShippedModelFixture fixture)
{
    private static SampledFrame Frame(int i, RgbImage image) => new(i, i * 0.5, image);

    private static RgbImage Flat(int w, int h, byte v) => new(w, h, Enumerable.Repeat(v, w * h * 3).ToArray());

    [Fact]
    public void Classify_NoFrames_AbstainsSayingNothingCouldBeDecoded()
    {
        var s = ClipScoring.Classify(fixture.Classifier, [], 640, 360, CancellationToken.None);
        Assert.True(s.Abstained);
        Assert.Null(s.Score);
        Assert.Contains("no decodable frames", s.Reason);
    }

    [Fact]
    public void Classify_OneFrame_AbstainsAsTooShort()
    {
        var s = ClipScoring.Classify(fixture.Classifier, [Frame(0, FrameClassifierTests.Noise(320, 240, 1))], 320, 240, CancellationToken.None);
        Assert.True(s.Abstained);
        Assert.Contains("too short", s.Reason);
    }

    [Fact]
    public void Classify_TinyVideo_AbstainsAsTooSmall()
    {
        var frames = Enumerable.Range(0, 4).Select(i => Frame(i, FrameClassifierTests.Noise(48, 32, i))).ToList();
        var s = ClipScoring.Classify(fixture.Classifier, frames, 48, 32, CancellationToken.None);
        Assert.True(s.Abstained);
        Assert.Contains("too small (48x32)", s.Reason);
    }

    [Fact]
    public void Classify_UniformFrames_AbstainsAsOutOfDomain()
    {
        var frames = Enumerable.Range(0, 4).Select(i => Frame(i, Flat(320, 240, (byte)(i * 10)))).ToList();
        var s = ClipScoring.Classify(fixture.Classifier, frames, 320, 240, CancellationToken.None);
        Assert.True(s.Abstained);
        Assert.Contains("out of the model's domain", s.Reason);
    }

    [Fact]
    public void Classify_ScorableClip_GivesTheMeanOfATimelineAndTheCardsThreshold()
    {
        var frames = Enumerable.Range(0, 5).Select(i => Frame(i, FrameClassifierTests.Noise(320, 240, i))).ToList();
        var s = ClipScoring.Classify(fixture.Classifier, frames, 320, 240, CancellationToken.None);
        Assert.Equal(CheckStatus.Checked, s.Status);
        Assert.False(s.Abstained);
        Assert.Equal(5, s.Timeline.Count);
        Assert.Equal(s.Timeline.Average(t => t.Score), s.Score!.Value, 12);
        Assert.Equal(fixture.Classifier.Card.Threshold.Value, s.Threshold);
        Assert.Equal(2.0, s.Timeline[4].TimeSeconds);
        Assert.Equal(ClipScoring.AggregationRule, s.Aggregation);
    }

    [Fact]
    public async Task Classify_WithAFaceDetector_ListsEachFramesFacesWithTheirOwnScores()
    {
        using var detector = await Provenance.Detector.Faces.RetinaFaceDetector.LoadAsync(HeldOutData.FaceDetectorModel,
            Provenance.Inference.InferenceOptions.Cpu, CancellationToken.None);
        var portrait = await fixture.DecodeAsync(HeldOutData.Fake(231));
        var noise = FrameClassifierTests.Noise(256, 256, 9);
        var s = ClipScoring.Classify(fixture.Classifier, [Frame(0, portrait), Frame(1, noise), Frame(2, portrait)], 256, 256,
            CancellationToken.None, detector);
        Assert.Equal(3, s.Timeline.Count);
        Assert.Single(s.Timeline[0].Faces);
        Assert.Empty(s.Timeline[1].Faces);
        var face = s.Timeline[2].Faces[0];
        Assert.InRange(face.Score, 0.0, 1.0);
        Assert.Equal(s.Timeline[0].Faces[0], face);
        Assert.Equal(s.Timeline.Average(t => t.Score), s.Score!.Value, 12);
    }

    [Fact]
    public void Crop_FaceNearTheEdge_StaysInsideTheImage()
    {
        var image = FrameClassifierTests.Noise(100, 60, 4);
        var crop = ClipScoring.Crop(image, new Provenance.Detector.Faces.FaceBox(90, 50, 10, 10, 0.9), 1.8);
        Assert.Equal(18, crop.Width);
        Assert.Equal(image.Pixels.Span.Slice(((60 - 18) * 100 + 100 - 18) * 3, 18 * 3).ToArray(), crop.Pixels.Span[..(18 * 3)].ToArray());
    }
}
