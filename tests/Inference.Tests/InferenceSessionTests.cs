using Provenance.Testing;

namespace Provenance.Inference.Tests;

public sealed class InferenceSessionTests
{
    private static readonly InferenceOptions Cpu = InferenceOptions.Cpu with { IntraOpThreads = 1 };

    [Fact]
    public void Run_ConvReluPoolGemmModel_MatchesReferenceComputedInCSharp()
    {
        var model = ConvClassifierModel.Create(seed: 7, channels: 3, height: 12, width: 10, filters: 5, classes: 3);
        const int batch = 3;
        var input = model.RandomInput(seed: 11, batch);
        using var session = InferenceSessionFactory.Create(model.Bytes, Cpu);

        var outputs = session.Run([new NamedTensor(ConvClassifierModel.InputName, [batch, 3, 12, 10], input)]);

        var logits = Assert.Single(outputs);
        Assert.Equal(ConvClassifierModel.OutputName, logits.Name);
        Assert.Equal([batch, 3L], logits.Shape);
        var expected = model.Reference(input, batch);
        Assert.Equal(expected.Length, logits.Data.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - logits.Span[i]) < 1e-4f, $"logit {i}: expected {expected[i]}, got {logits.Span[i]}");
        }

        // Different images must give different answers, or the comparison above proves little.
        Assert.NotEqual(logits.Span[0], logits.Span[3]);
    }

    [Fact]
    public void Run_MatMulAddModel_MatchesReferenceComputedInCSharp()
    {
        const int rows = 4, inner = 5, columns = 3;
        var random = new Random(3);
        var weights = Enumerable.Range(0, inner * columns).Select(_ => random.NextSingle() - 0.5f).ToArray();
        var bias = Enumerable.Range(0, columns).Select(_ => random.NextSingle()).ToArray();
        var bytes = new OnnxModelBuilder("affine")
            .Input("x", -1, inner)
            .Initializer("w", [inner, columns], weights)
            .Initializer("b", [columns], bias)
            .Node("MatMul", ["x", "w"], ["xw"])
            .Node("Add", ["xw", "b"], ["y"])
            .Output("y", -1, columns)
            .ToBytes();
        var x = Enumerable.Range(0, rows * inner).Select(i => (float)Math.Sin(i)).ToArray();
        using var session = InferenceSessionFactory.Create(bytes, Cpu);

        var y = session.Run([new NamedTensor("x", [rows, inner], x)])[0];

        Assert.Equal([rows, (long)columns], y.Shape);
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                double expected = bias[c];
                for (var k = 0; k < inner; k++)
                {
                    expected += x[(r * inner) + k] * weights[(k * columns) + c];
                }

                Assert.Equal(expected, y.Span[(r * columns) + c], 4);
            }
        }
    }

    [Fact]
    public void Session_DescribesInputsAndOutputs_WithSymbolicBatchAsMinusOne()
    {
        var model = ConvClassifierModel.Create(seed: 1);
        using var session = InferenceSessionFactory.Create(model.Bytes, Cpu);

        var input = Assert.Single(session.Inputs);
        Assert.Equal(ConvClassifierModel.InputName, input.Name);
        Assert.True(input.IsTensor);
        Assert.Equal(TensorElementType.Float, input.ElementType);
        Assert.Equal([-1L, 3, 16, 16], input.Dimensions);
        var output = Assert.Single(session.Outputs);
        Assert.Equal(ConvClassifierModel.OutputName, output.Name);
        Assert.Equal([-1L, 2], output.Dimensions);
        Assert.Equal(OnnxRuntimeInfo.CpuProvider, session.ExecutionProvider);
        Assert.Null(session.CudaFallbackReason);
    }

    [Fact]
    public void Create_FromFile_RunsTheSameModelAsFromBytes()
    {
        var model = ConvClassifierModel.Create(seed: 8);
        var path = Path.Combine(Path.GetTempPath(), "provenance-model-" + Guid.NewGuid().ToString("N") + ".onnx");
        File.WriteAllBytes(path, model.Bytes);
        try
        {
            using var fromFile = InferenceSessionFactory.Create(path, Cpu);
            using var fromBytes = InferenceSessionFactory.Create(model.Bytes, Cpu);
            var input = new NamedTensor(ConvClassifierModel.InputName, [1, 3, 16, 16], model.RandomInput(seed: 4, batch: 1));

            Assert.Equal(fromBytes.Run([input])[0].Data.ToArray(), fromFile.Run([input])[0].Data.ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Run_InputThatIsASliceOfALargerBuffer_ReadsOnlyTheSlice()
    {
        var model = ConvClassifierModel.Create(seed: 9);
        var images = model.RandomInput(seed: 5, batch: 3);
        var imageSize = 3 * 16 * 16;
        using var session = InferenceSessionFactory.Create(model.Bytes, Cpu);

        var second = session.Run([new NamedTensor(ConvClassifierModel.InputName, [1, 3, 16, 16], images.AsMemory(imageSize, imageSize))])[0];

        var expected = model.Reference(images.AsSpan(imageSize, imageSize), 1);
        Assert.Equal(expected[0], second.Span[0], 4);
        Assert.Equal(expected[1], second.Span[1], 4);
    }

    [Fact]
    public void Run_FromSeveralThreadsAtOnce_GivesEachCallerItsOwnCorrectAnswer()
    {
        var model = ConvClassifierModel.Create(seed: 10);
        using var session = InferenceSessionFactory.Create(model.Bytes, Cpu);
        var inputs = Enumerable.Range(0, 16).Select(i => model.RandomInput(seed: 100 + i, batch: 1)).ToArray();

        var results = new float[inputs.Length][];
        Parallel.For(0, inputs.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            for (var repeat = 0; repeat < 5; repeat++)
            {
                results[i] = session.Run([new NamedTensor(ConvClassifierModel.InputName, [1, 3, 16, 16], inputs[i])])[0].Data.ToArray();
            }
        });

        for (var i = 0; i < inputs.Length; i++)
        {
            var expected = model.Reference(inputs[i], 1);
            Assert.Equal(expected[0], results[i][0], 4);
            Assert.Equal(expected[1], results[i][1], 4);
        }
    }

    [Fact]
    public void Run_AskingForOneOfSeveralOutputs_ReturnsOnlyThatOne()
    {
        var bytes = new OnnxModelBuilder("two-outputs")
            .Input("x", 2)
            .Node("Relu", ["x"], ["relu"])
            .Node("Neg", ["x"], ["negated"])
            .Output("relu", 2)
            .Output("negated", 2)
            .ToBytes();
        using var session = InferenceSessionFactory.Create(bytes, Cpu);
        var x = new NamedTensor("x", [2], new[] { -1.5f, 2f });

        var all = session.Run([x]);
        var negatedOnly = Assert.Single(session.Run([x], ["negated"]));

        Assert.Equal(["relu", "negated"], all.Select(o => o.Name));
        Assert.Equal([0f, 2f], all[0].Data.ToArray());
        Assert.Equal("negated", negatedOnly.Name);
        Assert.Equal([1.5f, -2f], negatedOnly.Data.ToArray());
    }
}
