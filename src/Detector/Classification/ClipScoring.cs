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

    /// <summary>Faces scored per frame at most (the most confident first).</summary>
    public const int MaxFacesPerFrame = 8;

    /// <summary>Face crops are squares of this many times the detected box's longer side (the framing of the
    /// generated portraits the baseline learnt from).</summary>
    public const double FaceCropMargin = 1.8;

    /// <summary>
    /// Scores the frames (or abstains) and fills the report's classifier section. With a face detector, the faces of
    /// each frame are found and each face crop is scored too (the timeline shows which face, when). For a full-frame
    /// model the frame score stays the whole frame's; for a face-crop model it is the frame's highest face score, and
    /// frames without a face are left out.
    /// </summary>
    public static ClassifierSection Classify(FrameClassifier classifier, IReadOnlyList<SampledFrame> frames,
        int sourceWidth, int sourceHeight, CancellationToken cancellationToken, Faces.RetinaFaceDetector? faceDetector = null)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(frames);
        var card = classifier.Card;
        var faceModel = card.Input.Crop == CropKind.Face;
        var section = new ClassifierSection
        {
            Status = CheckStatus.Checked,
            Model = classifier.Summary,
            Threshold = card.Threshold.Value,
            ThresholdFpr = card.Threshold.FalsePositiveRate,
            Aggregation = faceModel ? "mean over frames with faces of each frame's highest face score" : AggregationRule,
            Meaning = card.Output.Meaning,
        };
        if (AbstainReason(frames, sourceWidth, sourceHeight) is { } why)
        {
            return section with { Abstained = true, Reason = why };
        }
        if (faceModel && faceDetector is null)
        {
            return section with { Abstained = true, Reason = "the model scores face crops and no face detector is configured" };
        }
        var faces = faceDetector is null ? null : ScoreFaces(classifier, faceDetector, frames, card.Input.FaceMargin ?? FaceCropMargin, cancellationToken);
        if (faceModel)
        {
            var timeline = frames.Select((f, i) => (Frame: f, Faces: faces![i]))
                .Where(x => x.Faces.Count > 0)
                .Select(x => new FrameScore { FrameIndex = x.Frame.Index, TimeSeconds = Math.Round(x.Frame.TimeSeconds, 3), Score = x.Faces.Max(f => f.Score), Faces = x.Faces })
                .ToList();
            return timeline.Count == 0
                ? section with { Abstained = true, Reason = "no faces were found for the face-crop model" }
                : section with { Score = timeline.Average(t => t.Score), Timeline = timeline };
        }
        var scores = classifier.Score(frames.Select(f => f.Image).ToList(), cancellationToken);
        var frameScores = frames.Select((f, i) => new FrameScore
        {
            FrameIndex = f.Index, TimeSeconds = Math.Round(f.TimeSeconds, 3), Score = scores[i], Faces = faces?[i] ?? [],
        }).ToList();
        return section with { Score = scores.Average(), Timeline = frameScores };
    }

    private static List<IReadOnlyList<FaceScore>> ScoreFaces(FrameClassifier classifier, Faces.RetinaFaceDetector detector,
        IReadOnlyList<SampledFrame> frames, double margin, CancellationToken cancellationToken)
    {
        var boxes = frames.Select(f => detector.Detect(f.Image, cancellationToken: cancellationToken).OrderByDescending(b => b.Confidence).Take(MaxFacesPerFrame).ToList()).ToList();
        var crops = frames.SelectMany((f, i) => boxes[i].Select(b => Crop(f.Image, b, margin))).ToList();
        var scores = classifier.Score(crops, cancellationToken);
        var result = new List<IReadOnlyList<FaceScore>>(frames.Count);
        var k = 0;
        foreach (var frameBoxes in boxes)
        {
            result.Add(frameBoxes.Select(b => new FaceScore(b.X, b.Y, b.Width, b.Height, b.Confidence, scores[k++])).ToList());
        }
        return result;
    }

    /// <summary>A square around the face box, <paramref name="margin"/> times its longer side, kept inside the image.</summary>
    public static RgbImage Crop(RgbImage image, Faces.FaceBox box, double margin)
    {
        var side = (int)Math.Min(Math.Min(image.Width, image.Height), Math.Max(box.Width, box.Height) * margin);
        side = Math.Max(side, 1);
        var x = Math.Clamp(box.X + box.Width / 2 - side / 2, 0, image.Width - side);
        var y = Math.Clamp(box.Y + box.Height / 2 - side / 2, 0, image.Height - side);
        var px = new byte[side * side * 3];
        var src = image.Pixels.Span;
        for (var row = 0; row < side; row++)
        {
            src.Slice(((y + row) * image.Width + x) * 3, side * 3).CopyTo(px.AsSpan(row * side * 3));
        }
        return new RgbImage(side, side, px);
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
