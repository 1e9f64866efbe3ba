using Provenance.Inference;
using Provenance.Inference.ModelCards;

namespace Provenance.Detector.Classification;

/// <summary>
/// An ONNX image classifier described by a model card: frames are resized and normalised exactly as the card says,
/// scored in batches, and each score is read as the card's output kind says (higher = more likely synthetic).
/// The model is refused (<see cref="ModelCardException"/>) when its card is invalid, its bytes do not hash to the
/// card's SHA-256, or its inputs and outputs contradict the card.
/// </summary>
public sealed class FrameClassifier : IDisposable
{
    /// <summary>Images per model run.</summary>
    public const int DefaultBatchSize = 16;

    private readonly InferenceSession session;
    private readonly float[] mean;
    private readonly float[] std;

    private FrameClassifier(VerifiedModel model, InferenceSession session, int batchSize)
    {
        Model = model;
        this.session = session;
        BatchSize = batchSize;
        mean = [.. model.Card.Input.Mean];
        std = [.. model.Card.Input.Std];
    }

    public VerifiedModel Model { get; }
    public ModelCard Card => Model.Card;
    public int BatchSize { get; }

    /// <summary>The execution provider the session runs on (CPU or CUDA).</summary>
    public string ExecutionProvider => session.ExecutionProvider;

    /// <summary>Loads a model from its <c>.onnx</c> path (card beside it) or its <c>.card.json</c> path.</summary>
    /// <exception cref="ModelCardException">The card or the hash does not match, or the card's contract is not met.</exception>
    /// <exception cref="InferenceException">ONNX Runtime is missing or refused the model.</exception>
    public static async Task<FrameClassifier> LoadAsync(string path, InferenceOptions? options = null,
        int batchSize = DefaultBatchSize, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        var model = await VerifiedModel.LoadAsync(path, cancellationToken).ConfigureAwait(false);
        var input = model.Card.Input;
        if (input.Channels != 3 || input.ColorOrder is not ("RGB" or "BGR"))
        {
            throw new ModelCardException($"Model '{model.Card.Name}' wants {input.Channels}-channel {input.ColorOrder} input; only 3-channel RGB or BGR models are supported.");
        }
        var session = model.CreateSession(options);
        return new FrameClassifier(model, session, batchSize);
    }

    /// <summary>A short description of the model for reports: name, version, hash and input kind.</summary>
    public Reports.ModelSummary Summary => new(Card.Name, Card.Version, Card.Sha256.ToLowerInvariant(),
        Card.Input.Crop == CropKind.Face ? "face-crop" : "full-frame");

    /// <summary>Scores images in batches of <see cref="BatchSize"/>; one score in [0, 1] per image, in order.</summary>
    public double[] Score(IReadOnlyList<RgbImage> images, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(images);
        var scores = new double[images.Count];
        var input = Card.Input;
        var perImage = input.Width * input.Height * 3;
        var buffer = new float[Math.Min(BatchSize, Math.Max(images.Count, 1)) * perImage];
        for (var start = 0; start < images.Count; start += BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = Math.Min(BatchSize, images.Count - start);
            Parallel.For(0, count, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
                AreaResize.ToTensor(images[start + i], input.Width, input.Height, mean, std,
                    buffer.AsSpan(i * perImage, perImage), input.Layout == TensorLayout.Nchw, input.ColorOrder == "BGR"));
            long[] shape = input.Layout == TensorLayout.Nchw
                ? [count, 3, input.Height, input.Width]
                : [count, input.Height, input.Width, 3];
            var tensor = new NamedTensor(input.Name, shape, buffer.AsMemory(0, count * perImage));
            var output = session.Run([tensor], [Card.Output.Name], cancellationToken)[0];
            var values = output.Span;
            if (values.Length % count != 0)
            {
                throw new InferenceException(InferenceErrorCode.InvalidArgument,
                    $"Output '{Card.Output.Name}' has {values.Length} values for a batch of {count}.");
            }
            var perOutput = values.Length / count;
            for (var i = 0; i < count; i++)
            {
                scores[start + i] = Card.Output.Score(values.Slice(i * perOutput, perOutput));
            }
        }
        return scores;
    }

    public void Dispose() => session.Dispose();
}
