using Provenance.Testing;

namespace Provenance.Inference.Tests;

public sealed class InferenceErrorTests
{
    private static readonly InferenceOptions Cpu = InferenceOptions.Cpu with { IntraOpThreads = 1 };

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x0F })]
    [InlineData(new byte[] { 0x08, 0x07, 0x3A, 0x05, 0x0A, 0x01 })]
    public void Create_FromBytesThatAreNotAModel_ThrowsInferenceExceptionFromOnnxRuntime(byte[] bytes)
    {
        var error = Assert.Throws<InferenceException>(() => InferenceSessionFactory.Create(bytes, Cpu));

        Assert.NotEqual(InferenceErrorCode.Ok, error.Code);
        Assert.NotEqual(InferenceErrorCode.LibraryNotFound, error.Code);
        Assert.Contains("load the model", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_FromTruncatedModel_ThrowsInferenceException()
    {
        var bytes = ConvClassifierModel.Create(seed: 2).Bytes;

        var error = Assert.Throws<InferenceException>(() => InferenceSessionFactory.Create(bytes[..(bytes.Length / 2)], Cpu));

        Assert.Equal(InferenceErrorCode.InvalidProtobuf, error.Code);
    }

    [Fact]
    public void Create_FromEmptyBytes_ThrowsInferenceException()
    {
        var error = Assert.Throws<InferenceException>(() => InferenceSessionFactory.Create([], Cpu));

        Assert.Equal(InferenceErrorCode.InvalidProtobuf, error.Code);
    }

    [Fact]
    public void Create_FromGraphWithUnknownOperator_ThrowsInferenceExceptionNamingIt()
    {
        var bytes = new OnnxModelBuilder()
            .Input("x", 1, 2)
            .Node("NoSuchOperatorAnywhere", ["x"], ["y"])
            .Output("y", 1, 2)
            .ToBytes();

        var error = Assert.Throws<InferenceException>(() => InferenceSessionFactory.Create(bytes, Cpu));

        Assert.Contains("NoSuchOperatorAnywhere", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_FromMissingFile_ThrowsInferenceExceptionWithNoSuchFile()
    {
        var path = Path.Combine(Path.GetTempPath(), "provenance-missing-" + Guid.NewGuid().ToString("N") + ".onnx");

        var error = Assert.Throws<InferenceException>(() => InferenceSessionFactory.Create(path, Cpu));

        Assert.Equal(InferenceErrorCode.NoSuchFile, error.Code);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_WithWrongInputShape_ThrowsInferenceExceptionWithInvalidArgument()
    {
        var model = ConvClassifierModel.Create(seed: 3);
        using var session = InferenceSessionFactory.Create(model.Bytes, Cpu);
        var wrong = new NamedTensor(ConvClassifierModel.InputName, [1, 3, 8, 8], new float[3 * 8 * 8]);

        var error = Assert.Throws<InferenceException>(() => session.Run([wrong]));

        Assert.Equal(InferenceErrorCode.InvalidArgument, error.Code);
        Assert.Contains("dimensions", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Run_WithWrongRank_ThrowsInferenceException()
    {
        var model = ConvClassifierModel.Create(seed: 3);
        using var session = InferenceSessionFactory.Create(model.Bytes, Cpu);
        var wrong = new NamedTensor(ConvClassifierModel.InputName, [3, 16, 16], new float[3 * 16 * 16]);

        var error = Assert.Throws<InferenceException>(() => session.Run([wrong]));

        Assert.Equal(InferenceErrorCode.InvalidArgument, error.Code);
    }

    [Fact]
    public void Run_WithUnknownInputName_ThrowsInferenceException()
    {
        var model = ConvClassifierModel.Create(seed: 3);
        using var session = InferenceSessionFactory.Create(model.Bytes, Cpu);
        var misnamed = new NamedTensor("not_the_input", [1, 3, 16, 16], new float[3 * 16 * 16]);

        var error = Assert.Throws<InferenceException>(() => session.Run([misnamed]));

        Assert.Contains("not_the_input", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_WithUnknownOutputName_ThrowsInferenceException()
    {
        var model = ConvClassifierModel.Create(seed: 3);
        using var session = InferenceSessionFactory.Create(model.Bytes, Cpu);
        var input = new NamedTensor(ConvClassifierModel.InputName, [1, 3, 16, 16], model.RandomInput(1, 1));

        var error = Assert.Throws<InferenceException>(() => session.Run([input], ["no_such_output"]));

        Assert.Contains("no_such_output", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_ModelWithIntegerOutput_ThrowsInferenceExceptionSayingOnlyFloatIsSupported()
    {
        var bytes = new OnnxModelBuilder()
            .Input("x", 2, 3)
            .Node("Shape", ["x"], ["shape"])
            .Output("shape", Onnx.TensorProto.Types.DataType.Int64, 2)
            .ToBytes();
        using var session = InferenceSessionFactory.Create(bytes, Cpu);

        var error = Assert.Throws<InferenceException>(() => session.Run([new NamedTensor("x", [2, 3], new float[6])]));

        Assert.Equal(InferenceErrorCode.NotImplemented, error.Code);
        Assert.Contains("Int64", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NamedTensor_WhoseDataDoesNotFillItsShape_IsRefusedBeforeReachingTheRuntime()
    {
        Assert.Throws<ArgumentException>(() => new NamedTensor("x", [2, 3], new float[5]));
        Assert.Throws<ArgumentException>(() => new NamedTensor("x", [-1, 3], new float[3]));
    }

    [Fact]
    public void Run_WithAlreadyCancelledToken_ThrowsOperationCanceled()
    {
        var model = ConvClassifierModel.Create(seed: 3);
        using var session = InferenceSessionFactory.Create(model.Bytes, Cpu);
        var input = new NamedTensor(ConvClassifierModel.InputName, [1, 3, 16, 16], model.RandomInput(1, 1));

        Assert.Throws<OperationCanceledException>(() => session.Run([input], new CancellationToken(canceled: true)));
    }

    [Fact]
    public void Run_AfterDispose_ThrowsObjectDisposed()
    {
        var model = ConvClassifierModel.Create(seed: 3);
        var session = InferenceSessionFactory.Create(model.Bytes, Cpu);
        session.Dispose();

        var input = new NamedTensor(ConvClassifierModel.InputName, [1, 3, 16, 16], model.RandomInput(1, 1));
        Assert.Throws<ObjectDisposedException>(() => session.Run([input]));
    }

    [Fact]
    public void Run_CancelledWhileTheModelRuns_StopsWithOperationCanceled()
    {
        // About 700 GFLOP (minutes on two cores): the run can only end early by being told to stop.
        const int size = 2048, nodes = 40;
        // Non-zero weights (scaled to keep values finite): an all-zero chain is cheap enough to finish before the cancel.
        var random = new Random(7);
        var weights = Enumerable.Range(0, size * size).Select(_ => (float)(random.NextDouble() - 0.5) / size).ToArray();
        var builder = new OnnxModelBuilder("long-chain").Input("x", size, size).Initializer("w", [size, size], weights);
        for (var i = 0; i < nodes; i++)
        {
            builder.Node("MatMul", [i == 0 ? "x" : $"m{i - 1}", "w"], [i == nodes - 1 ? "y" : $"m{i}"]);
        }

        using var session = InferenceSessionFactory.Create(builder.Output("y", size, size).ToBytes(), Cpu);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        Assert.Throws<OperationCanceledException>(
            () => session.Run([new NamedTensor("x", [size, size], Enumerable.Repeat(1f, size * size).ToArray())], cancellation.Token));
    }
}
