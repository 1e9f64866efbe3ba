using Provenance.Detector.Classification;
using Provenance.Detector.Sampling;
using Provenance.Media;

namespace Provenance.Detector.Evaluation;

/// <summary>One labelled item of an evaluation folder and its score (null when it could not be decoded).</summary>
public sealed record EvaluatedItem(string Path, bool Fake, double? Score, int Frames, string? Error);

/// <summary>The figures of an evaluation plus every item's score.</summary>
public sealed record EvaluationRun(EvaluationResult Result, IReadOnlyList<EvaluatedItem> Items)
{
    public int Skipped => Items.Count(i => i.Score is null);
}

/// <summary>
/// Evaluates a classifier on a labelled folder: <c>DIR/real</c> and <c>DIR/fake</c>, holding images or clips (any
/// depth). Each image is one frame; each clip is sampled like a scan and scored by the clip rule (mean of frames).
/// Files that cannot be decoded are listed and left out of the figures.
/// </summary>
public sealed class ModelEvaluator(FrameClassifier classifier, FrameSampler sampler)
{
    public static readonly IReadOnlySet<string> ImageExtensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        { ".png", ".jpg", ".jpeg", ".webp", ".bmp", ".tif", ".tiff" };

    public static readonly IReadOnlySet<string> ClipExtensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        { ".mp4", ".mov", ".m4v", ".mkv", ".webm", ".avi", ".ts" };

    /// <summary>Sampling used for clips; images are always one frame.</summary>
    public FrameSamplingOptions ClipSampling { get; init; } = new() { SampleRate = 1, MaxFrames = 16, MaxSide = 1280 };

    /// <summary>The labelled files of a folder, real first, each list sorted by path.</summary>
    /// <exception cref="DirectoryNotFoundException">DIR/real or DIR/fake is missing.</exception>
    public static IReadOnlyList<(string Path, bool Fake)> ListItems(string folder)
    {
        var items = new List<(string, bool)>();
        foreach (var (name, fake) in new[] { ("real", false), ("fake", true) })
        {
            var dir = Path.Combine(folder, name);
            if (!Directory.Exists(dir))
            {
                throw new DirectoryNotFoundException($"{dir} is missing: an evaluation folder holds real/ and fake/");
            }
            items.AddRange(Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
                .Where(f => ImageExtensions.Contains(Path.GetExtension(f)) || ClipExtensions.Contains(Path.GetExtension(f)))
                .Order(StringComparer.Ordinal)
                .Select(f => (f, fake)));
        }
        return items;
    }

    public async Task<EvaluationRun> EvaluateAsync(string folder, double targetFpr, IProgress<(int Done, int Total)>? progress,
        CancellationToken cancellationToken)
    {
        var listed = ListItems(folder);
        var items = new List<EvaluatedItem>(listed.Count);
        foreach (var (path, fake) in listed)
        {
            cancellationToken.ThrowIfCancellationRequested();
            items.Add(await ScoreItemAsync(path, fake, cancellationToken).ConfigureAwait(false));
            progress?.Report((items.Count, listed.Count));
        }
        var real = items.Where(i => !i.Fake && i.Score is not null).Select(i => i.Score!.Value).ToList();
        var fakes = items.Where(i => i.Fake && i.Score is not null).Select(i => i.Score!.Value).ToList();
        if (real.Count == 0 || fakes.Count == 0)
        {
            throw new InvalidDataException($"{folder} needs at least one decodable real and one decodable fake item (found {real.Count} real, {fakes.Count} fake)");
        }
        return new EvaluationRun(DetectionMetrics.Evaluate(real, fakes, targetFpr), items);
    }

    private async Task<EvaluatedItem> ScoreItemAsync(string path, bool fake, CancellationToken cancellationToken)
    {
        var image = ImageExtensions.Contains(Path.GetExtension(path));
        var options = image ? ClipSampling with { SampleRate = 1, MaxFrames = 1 } : ClipSampling;
        try
        {
            var probe = await sampler.ProbeAsync(path, options, cancellationToken).ConfigureAwait(false);
            var sampled = await sampler.SampleAsync(probe, options, cancellationToken).ConfigureAwait(false);
            if (sampled.Frames.Count == 0)
            {
                return new EvaluatedItem(path, fake, null, 0, "no decodable frames");
            }
            var scores = classifier.Score(sampled.Frames.Select(f => f.Image).ToList(), cancellationToken);
            return new EvaluatedItem(path, fake, scores.Average(), scores.Length, null);
        }
        catch (MediaException e)
        {
            return new EvaluatedItem(path, fake, null, 0, e.Message);
        }
    }
}
