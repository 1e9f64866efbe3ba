using Provenance.Detector.Classification;
using Provenance.Detector.Reports;
using Provenance.Detector.Sampling;

namespace Provenance.Detector.Scanning;

/// <summary>The ONNX classifier as a scan stage: scores the shared sampled frames by <see cref="ClipScoring"/>'s rule.</summary>
public sealed class ClassifierStage(FrameClassifier classifier, Faces.RetinaFaceDetector? faceDetector = null,
    int maxFrames = ClassifierStage.DefaultMaxFrames) : IClassifierStage
{
    /// <summary>Most frames scored per clip; longer clips are scored on frames spread evenly over the sample.</summary>
    public const int DefaultMaxFrames = 48;

    public string ModelVersion => $"{classifier.Card.Name} {classifier.Card.Version} ({classifier.ExecutionProvider})";

    public Task<ClassifierSection> ClassifyAsync(SampledVideo video, CancellationToken cancellationToken) =>
        Task.Run(() => ClipScoring.Classify(classifier, Spread(video.Frames, maxFrames), video.Probe.DisplayWidth, video.Probe.DisplayHeight, cancellationToken, faceDetector), cancellationToken);

    /// <summary>At most <paramref name="count"/> frames, evenly spaced, first and last included.</summary>
    public static IReadOnlyList<SampledFrame> Spread(IReadOnlyList<SampledFrame> frames, int count)
    {
        if (frames.Count <= count)
        {
            return frames;
        }
        return Enumerable.Range(0, count).Select(i => frames[(int)Math.Round(i * (frames.Count - 1) / (double)(count - 1))]).ToList();
    }
}
