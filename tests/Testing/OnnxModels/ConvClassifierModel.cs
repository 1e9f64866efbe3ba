namespace Provenance.Testing;

/// <summary>
/// A tiny image classifier with seeded random weights: Conv(3x3, pad 1) → Relu → GlobalAveragePool → Flatten →
/// Gemm. Input NCHW float with a symbolic batch; output [batch, classes] logits. <see cref="Reference"/> computes the
/// same function in plain C#, so a test can compare ONNX Runtime's answer with an independent one.
/// </summary>
public sealed class ConvClassifierModel
{
    private ConvClassifierModel(int channels, int height, int width, int filters, int classes, int seed)
    {
        Channels = channels;
        Height = height;
        Width = width;
        Filters = filters;
        Classes = classes;
        var random = new Random(seed);
        ConvWeights = RandomValues(random, filters * channels * 3 * 3, 0.5f);
        ConvBias = RandomValues(random, filters, 0.1f);
        GemmWeights = RandomValues(random, classes * filters, 1f);
        GemmBias = RandomValues(random, classes, 0.1f);
        Bytes = new OnnxModelBuilder("conv-classifier")
            .Input(InputName, -1, channels, height, width)
            .Initializer("conv_w", [filters, channels, 3, 3], ConvWeights)
            .Initializer("conv_b", [filters], ConvBias)
            .Initializer("fc_w", [classes, filters], GemmWeights)
            .Initializer("fc_b", [classes], GemmBias)
            .Node("Conv", [InputName, "conv_w", "conv_b"], ["conv"], ("kernel_shape", new long[] { 3, 3 }), ("pads", new long[] { 1, 1, 1, 1 }))
            .Node("Relu", ["conv"], ["relu"])
            .Node("GlobalAveragePool", ["relu"], ["pool"])
            .Node("Flatten", ["pool"], ["flat"], ("axis", 1L))
            .Node("Gemm", ["flat", "fc_w", "fc_b"], [OutputName], ("transB", 1L))
            .Output(OutputName, -1, classes)
            .ToBytes();
    }

    public const string InputName = "input";
    public const string OutputName = "logits";

    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }
    public int Filters { get; }
    public int Classes { get; }
    public float[] ConvWeights { get; }
    public float[] ConvBias { get; }
    public float[] GemmWeights { get; }
    public float[] GemmBias { get; }

    /// <summary>The serialised ONNX model.</summary>
    public byte[] Bytes { get; }

    public static ConvClassifierModel Create(int seed, int channels = 3, int height = 16, int width = 16, int filters = 4, int classes = 2) =>
        new(channels, height, width, filters, classes, seed);

    /// <summary>Seeded input values in [0, 1) for <paramref name="batch"/> images.</summary>
    public float[] RandomInput(int seed, int batch) => RandomValues(new Random(seed), batch * Channels * Height * Width, 1f, nonNegative: true);

    /// <summary>The model's function in plain C# (double accumulation): [batch, classes] logits.</summary>
    public float[] Reference(ReadOnlySpan<float> input, int batch)
    {
        var plane = Height * Width;
        var logits = new float[batch * Classes];
        var pooled = new double[Filters];
        for (var n = 0; n < batch; n++)
        {
            var image = input.Slice(n * Channels * plane, Channels * plane);
            for (var f = 0; f < Filters; f++)
            {
                double sum = 0;
                for (var y = 0; y < Height; y++)
                {
                    for (var x = 0; x < Width; x++)
                    {
                        var activation = Math.Max(0, ConvAt(image, f, y, x));
                        sum += activation;
                    }
                }

                pooled[f] = sum / plane;
            }

            for (var c = 0; c < Classes; c++)
            {
                double value = GemmBias[c];
                for (var f = 0; f < Filters; f++)
                {
                    value += pooled[f] * GemmWeights[(c * Filters) + f];
                }

                logits[(n * Classes) + c] = (float)value;
            }
        }

        return logits;
    }

    private double ConvAt(ReadOnlySpan<float> image, int filter, int y, int x)
    {
        double value = ConvBias[filter];
        for (var c = 0; c < Channels; c++)
        {
            for (var ky = 0; ky < 3; ky++)
            {
                var sy = y + ky - 1;
                if (sy < 0 || sy >= Height)
                {
                    continue;
                }

                for (var kx = 0; kx < 3; kx++)
                {
                    var sx = x + kx - 1;
                    if (sx < 0 || sx >= Width)
                    {
                        continue;
                    }

                    var weight = ConvWeights[(((filter * Channels) + c) * 9) + (ky * 3) + kx];
                    value += weight * image[(c * Height * Width) + (sy * Width) + sx];
                }
            }
        }

        return value;
    }

    private static float[] RandomValues(Random random, int count, float scale, bool nonNegative = false)
    {
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            var unit = random.NextSingle();
            values[i] = nonNegative ? unit * scale : ((unit * 2) - 1) * scale;
        }

        return values;
    }
}
