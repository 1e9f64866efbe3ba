using System.Text.Json;
using System.Text.Json.Serialization;
using Provenance.Generator.Backends;

namespace Provenance.Generator.Onnx;

/// <summary>
/// The contract of a user-provided frame-generation model, in <c>MODEL.onnx.frames.json</c> beside it:
/// what to feed it (noise of a declared shape, optionally a prompt conditioning vector and the frame time),
/// what it returns (RGB frames, NCHW, value range) and how many frames one run makes (batch).
/// The backend refuses a model whose bytes do not hash to <see cref="Sha256"/> or whose graph does not
/// declare the inputs and outputs named here.
/// </summary>
public sealed record FrameModelCard
{
    public const string Suffix = ".frames.json";

    public required string Name { get; init; }

    public required string Version { get; init; }

    /// <summary>SHA-256 of the .onnx file, lower-case hex.</summary>
    public required string Sha256 { get; init; }

    public string? Licence { get; init; }

    public required NoiseInput Noise { get; init; }

    /// <summary>Optional prompt conditioning: a hashed bag-of-words vector of <see cref="ConditioningInput.Size"/> values.</summary>
    public ConditioningInput? Conditioning { get; init; }

    /// <summary>Optional frame time input ([batch, 1], seconds).</summary>
    public string? TimeInput { get; init; }

    public required FrameOutput Output { get; init; }

    /// <summary>Frames per run; the batch dimension of every input and the output.</summary>
    public int Batch { get; init; } = 1;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    public static FrameModelCard Parse(string json)
    {
        FrameModelCard card;
        try
        {
            card = JsonSerializer.Deserialize<FrameModelCard>(json, Json) ?? throw new GenerationRequestException("model card is empty");
        }
        catch (JsonException e)
        {
            throw new GenerationRequestException($"model card is not valid: {e.Message}");
        }
        if (card.Batch is < 1 or > 64 || card.Noise.Channels < 1 || card.Noise.Height < 1 || card.Noise.Width < 1
            || card.Output.Channels != 3 || card.Output.Height < 2 || card.Output.Width < 2 || card.Conditioning is { Size: < 1 or > 4096 })
        {
            throw new GenerationRequestException("model card declares an unusable shape (batch 1-64, noise C/H/W >= 1, output 3 channels, conditioning 1-4096)");
        }
        return card;
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);
}

/// <summary>Noise input: name and per-frame shape [channels, height, width].</summary>
public sealed record NoiseInput(string Name, int Channels, int Height, int Width);

/// <summary>Conditioning input: name and vector length.</summary>
public sealed record ConditioningInput(string Name, int Size);

/// <summary>Frame output: name, per-frame shape [3, height, width] (RGB, NCHW) and value range.</summary>
public sealed record FrameOutput(string Name, int Channels, int Height, int Width, [property: JsonConverter(typeof(JsonStringEnumConverter<FrameRange>))] FrameRange Range = FrameRange.ZeroToOne);

/// <summary>Value range of output pixels.</summary>
public enum FrameRange
{
    ZeroToOne,
    MinusOneToOne,
}
