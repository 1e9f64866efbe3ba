using Provenance.Detector.Classification;
using Provenance.Detector.Reports;
using Provenance.Detector.Sampling;

namespace Provenance.Detector.Scanning;

/// <summary>The ONNX classifier as a scan stage: scores the shared sampled frames by <see cref="ClipScoring"/>'s rule.</summary>
public sealed class ClassifierStage(FrameClassifier classifier) : IClassifierStage
{
    public string ModelVersion => $"{classifier.Card.Name} {classifier.Card.Version} ({classifier.ExecutionProvider})";

    public Task<ClassifierSection> ClassifyAsync(SampledVideo video, CancellationToken cancellationToken) =>
        Task.Run(() => ClipScoring.Classify(classifier, video.Frames, video.Probe.DisplayWidth, video.Probe.DisplayHeight, cancellationToken), cancellationToken);
}
