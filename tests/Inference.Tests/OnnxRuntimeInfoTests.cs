using System.Text.Json;
using Provenance.Testing;
using Xunit.Abstractions;

namespace Provenance.Inference.Tests;

public sealed class OnnxRuntimeInfoTests(ITestOutputHelper output)
{
    [Fact]
    public void Detect_ReportsTheLoadedLibraryVersionPathAndCpuProvider()
    {
        var info = OnnxRuntimeInfo.Detect(InferenceOptions.Cpu);
        output.WriteLine(JsonSerializer.Serialize(info, new JsonSerializerOptions { WriteIndented = true }));

        Assert.True(info.IsAvailable, info.Error);
        Assert.Null(info.Error);
        Assert.Equal(OnnxRuntimeLibrary.ExpectedVersion, info.Version);
        Assert.NotNull(info.LibraryPath);
        Assert.True(File.Exists(info.LibraryPath), info.LibraryPath);
        Assert.Contains(OnnxRuntimeInfo.CpuProvider, info.AvailableProviders);
        Assert.False(string.IsNullOrWhiteSpace(info.BuildInfo));
        Assert.False(info.CudaRequested);
        Assert.Equal(OnnxRuntimeInfo.CpuProvider, info.ChosenProvider);
        Assert.Null(info.FallbackReason);
    }

    // The CUDA execution provider itself cannot run on this project's CPU-only machines (its provider libraries
    // are not obtainable here). These tests prove the fallback: CUDA is really asked for through ONNX Runtime, the
    // refusal is reported, and the work runs on the CPU. On a GPU host with the provider libraries installed they
    // assert the opposite: CUDA is chosen.
    [Fact]
    public void Detect_WithCudaRequested_ChoosesCudaOrReportsWhyItFellBackToCpu()
    {
        var info = OnnxRuntimeInfo.Detect(new InferenceOptions { PreferCuda = true });
        output.WriteLine($"chosen {info.ChosenProvider}; gpu {info.Gpu}; reason {info.FallbackReason}");

        Assert.True(info.CudaRequested);
        if (CudaUsableHere(info))
        {
            Assert.Equal(OnnxRuntimeInfo.CudaProvider, info.ChosenProvider);
            Assert.Null(info.FallbackReason);
        }
        else
        {
            Assert.Equal(OnnxRuntimeInfo.CpuProvider, info.ChosenProvider);
            Assert.NotNull(info.FallbackReason);
            Assert.Contains("CUDA", info.FallbackReason, StringComparison.Ordinal);
            Assert.Contains("running on CPU", info.FallbackReason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Create_WithCudaRequestedWhereCudaIsUnusable_RunsOnCpuAndSaysWhy()
    {
        var info = OnnxRuntimeInfo.Detect(new InferenceOptions { PreferCuda = true });
        var model = ConvClassifierModel.Create(seed: 5);
        var input = model.RandomInput(seed: 6, batch: 2);

        using var session = InferenceSessionFactory.Create(model.Bytes, new InferenceOptions { PreferCuda = true, IntraOpThreads = 1 });
        var logits = session.Run([new NamedTensor(ConvClassifierModel.InputName, [2, 3, 16, 16], input)])[0];

        var expected = model.Reference(input, 2);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], logits.Span[i], 3);
        }

        if (CudaUsableHere(info))
        {
            Assert.True(session.UsesCuda);
            return;
        }

        Assert.False(session.UsesCuda);
        Assert.Equal(OnnxRuntimeInfo.CpuProvider, session.ExecutionProvider);
        Assert.NotNull(session.CudaFallbackReason);
        Assert.Equal(info.FallbackReason, session.CudaFallbackReason);
    }

    [Fact]
    public async Task DetectAsync_ReportsTheSameRuntimeAsDetect()
    {
        var sync = OnnxRuntimeInfo.Detect(InferenceOptions.Cpu);
        var viaAsync = await OnnxRuntimeInfo.DetectAsync(InferenceOptions.Cpu, CancellationToken.None);

        Assert.Equal(sync.Version, viaAsync.Version);
        Assert.Equal(sync.LibraryPath, viaAsync.LibraryPath);
        Assert.Equal(sync.Gpu.Present || viaAsync.Gpu.Present, viaAsync.Gpu.Present);
        Assert.False(string.IsNullOrEmpty(viaAsync.Gpu.Evidence));
    }

    [Fact]
    public async Task DetectAsync_WithCancelledToken_Throws()
    {
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => OnnxRuntimeInfo.DetectAsync(InferenceOptions.Cpu, new CancellationToken(canceled: true)));
    }

    private static bool CudaUsableHere(OnnxRuntimeInfo info) =>
        info.Gpu.Present && info.CudaProviderLibrariesPresent == true && info.FallbackReason is null;
}
