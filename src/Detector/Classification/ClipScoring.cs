using Provenance.Detector.Reports;
using Provenance.Inference.ModelCards;

namespace Provenance.Detector.Classification;

/// <summary>A decoded frame picked for analysis: its index in the sampled stream, its time and its pixels.</summary>
public sealed record SampledFrame(int Index, double TimeSeconds, RgbImage Image);

/// <summary>
/// Turns frame scores into a clip verdict input. Rule: the clip score is the mean of the frame scores; it is compared
/// with the card's calibrated threshold. The classifier abstains instead of guessing when the clip is too short
/// (fewer than <see cref="MinFrames"/> sampled frames), too small (a side under <see cref="MinSide"/> pixels), has no
/// decodable frame, or is out of the model's domain (frames with almost no image content).
/// </summary>
public static class ClipScoring
{
    public const int MinFrames = 2;
    public const int MinSide = 64;

    /// <summary>Frames whose luma standard deviation is below this (on 0-255) carry too little content to judge.</summary>
    public const double MinContentStdDev = 3.0;

    public const string AggregationRule = "mean of the sampled frames' scores";

    /// <summary>Why the classifier would abstain on these frames, or null when it can score them.</summary>
    public static string? AbstainReason(IReadOnlyList<SampledFrame> frames, int sourceWidth, int sourceHeight)
    {
        if (frames.Count == 0)
        {
            return "no decodable frames: nothing could be sampled from the video";
        }
        if (Math.Min(sourceWidth, sourceHeight) < MinSide)
        {
            return $"the video is too small ({sourceWidth}x{sourceHeight}); the classifier needs at least {MinSide} pixels on each side";
        }
        if (frames.Count < MinFrames)
        {
            return $"the clip is too short: {frames.Count} frame sampled, at least {MinFrames} are needed";
        }
        if (frames.All(f => LumaStdDev(f.Image) < MinContentStdDev))
        {
            return "the frames are out of the model's domain: they are nearly uniform, with no image content to judge";
        }
        return null;
    }

    /// <summary>Scores the frames (or abstains) and fills the report's classifier section.</summary>
    public static ClassifierSection Classify(FrameClassifier classifier, IReadOnlyList<SampledFrame> frames,
        int sourceWidth, int sourceHeight, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(frames);
        var card = classifier.Card;
        var section = new ClassifierSection
        {
            Status = CheckStatus.Checked,
            Model = classifier.Summary,
            Threshold = card.Threshold.Value,
            ThresholdFpr = card.Threshold.FalsePositiveRate,
            Aggregation = AggregationRule,
            Meaning = card.Output.Meaning,
        };
        if (AbstainReason(frames, sourceWidth, sourceHeight) is { } why)
        {
            return section with { Abstained = true, Reason = why };
        }
        if (card.Input.Crop == CropKind.Face)
        {
            return section with { Abstained = true, Reason = "the model scores face crops and no face detector is configured" };
        }
        var scores = classifier.Score(frames.Select(f => f.Image).ToList(), cancellationToken);
        var timeline = frames.Select((f, i) => new FrameScore { FrameIndex = f.Index, TimeSeconds = Math.Round(f.TimeSeconds, 3), Score = scores[i] }).ToList();
        return section with { Score = scores.Average(), Timeline = timeline };
    }

    /// <summary>Standard deviation of the luma (BT.601 weights) over a subsample of pixels.</summary>
    public static double LumaStdDev(RgbImage image)
    {
        var p = image.Pixels.Span;
        var pixels = image.Width * image.Height;
        var step = Math.Max(1, pixels / 4096);
        double sum = 0, sumSq = 0;
        var n = 0;
        for (var i = 0; i < pixels; i += step)
        {
            var y = 0.299 * p[i * 3] + 0.587 * p[i * 3 + 1] + 0.114 * p[i * 3 + 2];
            sum += y;
            sumSq += y * y;
            n++;
        }
        var m = sum / n;
        return Math.Sqrt(Math.Max(0, sumSq / n - m * m));
    }
}
