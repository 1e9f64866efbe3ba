using System.Text.Json;
using System.Text.Json.Serialization;

namespace Provenance.Inference.ModelCards;

/// <summary>How the input image is cut from a frame.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CropKind>))]
public enum CropKind
{
    /// <summary>A detected face, widened by <see cref="ModelInput.FaceMargin"/>, resized to the input size.</summary>
    [JsonStringEnumMemberName("face")]
    Face,

    /// <summary>The whole frame resized to the input size.</summary>
    [JsonStringEnumMemberName("full-frame")]
    FullFrame,
}

/// <summary>Memory layout of the image tensor.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TensorLayout>))]
public enum TensorLayout
{
    [JsonStringEnumMemberName("NCHW")]
    Nchw,

    [JsonStringEnumMemberName("NHWC")]
    Nhwc,
}

/// <summary>What the output values are before thresholding.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OutputKind>))]
public enum OutputKind
{
    /// <summary>One value per image already in [0, 1].</summary>
    [JsonStringEnumMemberName("probability")]
    Probability,

    /// <summary>One logit per image; the score is its logistic sigmoid.</summary>
    [JsonStringEnumMemberName("logit")]
    Logit,

    /// <summary>One logit per class; the score is the softmax at <see cref="ModelOutput.PositiveIndex"/>.</summary>
    [JsonStringEnumMemberName("softmax-logits")]
    SoftmaxLogits,
}

/// <summary>
/// The contract that travels beside each classifier <c>.onnx</c> file (<c>NAME.card.json</c>): what the model expects,
/// what its output means, the calibrated threshold with its false-positive rate, how it was trained and how well it
/// did on held-out data. The detector refuses a model whose card is invalid or whose bytes do not hash to
/// <see cref="Sha256"/>.
/// </summary>
public sealed record ModelCard
{
    /// <summary>Upper bound on a card file; cards are a few kilobytes.</summary>
    public const int MaxCardBytes = 256 * 1024;

    public required string Name { get; init; }

    public required string Version { get; init; }

    /// <summary>The model file, relative to the card's folder.</summary>
    public required string File { get; init; }

    /// <summary>SHA-256 of the model file, lower-case hex.</summary>
    public required string Sha256 { get; init; }

    public required ModelInput Input { get; init; }

    public required ModelOutput Output { get; init; }

    public required CalibratedThreshold Threshold { get; init; }

    public required TrainingDescription Training { get; init; }

    /// <summary>Licence of the weights (SPDX identifier or a sentence).</summary>
    public required string Licence { get; init; }

    public required ModelMetrics Metrics { get; init; }

    /// <summary>Where the model is known to be weak (domain, resolution, compression).</summary>
    public string? Limitations { get; init; }

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowTrailingCommas = false,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        ReadCommentHandling = JsonCommentHandling.Disallow,
    };

    /// <summary>Parses and validates a card.</summary>
    /// <exception cref="ModelCardException">The JSON is malformed, incomplete or out of range.</exception>
    public static ModelCard Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        ModelCard? card;
        try
        {
            card = JsonSerializer.Deserialize<ModelCard>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new ModelCardException($"The model card is not valid JSON for a card: {e.Message}", e);
        }

        if (card is null)
        {
            throw new ModelCardException("The model card is empty (JSON null).");
        }

        var problems = ModelCardValidation.Problems(card);
        if (problems.Count > 0)
        {
            throw new ModelCardException($"The model card for '{card.Name}' is invalid: {string.Join("; ", problems)}.", problems);
        }

        return card;
    }

    /// <summary>Reads, parses and validates a card file.</summary>
    public static ModelCard Load(string cardPath)
    {
        var info = new FileInfo(cardPath);
        if (!info.Exists)
        {
            throw new ModelCardException($"Model card {cardPath} does not exist.");
        }

        if (info.Length > MaxCardBytes)
        {
            throw new ModelCardException($"Model card {cardPath} is {info.Length} bytes; a card may be at most {MaxCardBytes}.");
        }

        return Parse(System.IO.File.ReadAllText(cardPath));
    }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);
}

/// <summary>The input image the model expects and how pixels are normalised: value = (pixel / 255 - mean) / std.</summary>
public sealed record ModelInput
{
    public required string Name { get; init; }

    public required TensorLayout Layout { get; init; }

    public required int Width { get; init; }

    public required int Height { get; init; }

    public int Channels { get; init; } = 3;

    /// <summary>Channel order of the tensor, e.g. RGB or BGR.</summary>
    public string ColorOrder { get; init; } = "RGB";

    /// <summary>Per-channel mean subtracted after scaling pixels to [0, 1].</summary>
    public required IReadOnlyList<float> Mean { get; init; }

    /// <summary>Per-channel standard deviation divided by after the mean.</summary>
    public required IReadOnlyList<float> Std { get; init; }

    public required CropKind Crop { get; init; }

    /// <summary>For face crops: the detected box is widened by this factor around its centre (1.3 is usual).</summary>
    public float? FaceMargin { get; init; }
}

/// <summary>The output tensor and what it means.</summary>
public sealed record ModelOutput
{
    public required string Name { get; init; }

    public required OutputKind Kind { get; init; }

    /// <summary>For <see cref="OutputKind.SoftmaxLogits"/>: the index of the "synthetic" class.</summary>
    public int PositiveIndex { get; init; }

    /// <summary>A sentence: what a high score says, e.g. "probability that the face was synthesised".</summary>
    public required string Meaning { get; init; }

    /// <summary>
    /// The score in [0, 1] for one image from its output values (one value, or one per class), as
    /// <see cref="Kind"/> says. Thresholds in the card apply to this score.
    /// </summary>
    public double Score(ReadOnlySpan<float> values)
    {
        switch (Kind)
        {
            case OutputKind.Probability:
                return Math.Clamp(values[0], 0.0, 1.0);
            case OutputKind.Logit:
                return 1.0 / (1.0 + Math.Exp(-values[0]));
            default:
                var max = double.NegativeInfinity;
                foreach (var v in values)
                {
                    max = Math.Max(max, v);
                }

                double sum = 0;
                foreach (var v in values)
                {
                    sum += Math.Exp(v - max);
                }

                return Math.Exp(values[PositiveIndex] - max) / sum;
        }
    }
}

/// <summary>The decision threshold on the score and the false-positive rate it was calibrated to.</summary>
public sealed record CalibratedThreshold
{
    public required double Value { get; init; }

    /// <summary>False-positive rate on the calibration set at <see cref="Value"/>, e.g. 0.01.</summary>
    public required double FalsePositiveRate { get; init; }

    /// <summary>The real (negative) data the rate was measured on.</summary>
    public required string CalibrationSet { get; init; }
}

/// <summary>Where the weights came from.</summary>
public sealed record TrainingDescription
{
    /// <summary>Training data: sources, counts, licences.</summary>
    public required string Data { get; init; }

    /// <summary>The script that reproduces the weights, relative to the repository root.</summary>
    public string? Script { get; init; }

    public string? Notes { get; init; }
}

/// <summary>Held-out evaluation results; rates are fractions in [0, 1].</summary>
public sealed record ModelMetrics
{
    public required string EvaluationSet { get; init; }

    public int? Samples { get; init; }

    public double? RocAuc { get; init; }

    public double? EqualErrorRate { get; init; }

    public double? TruePositiveRateAtFpr1Percent { get; init; }

    public double? TruePositiveRateAtFpr01Percent { get; init; }
}
