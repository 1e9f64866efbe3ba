using Provenance.Inference.Native;

namespace Provenance.Inference;

/// <summary>
/// A loaded ONNX model bound to one execution provider. <see cref="Run(IReadOnlyList{NamedTensor}, CancellationToken)"/>
/// may be called from several threads at once (ONNX Runtime sessions are thread-safe for Run). Create through
/// <see cref="InferenceSessionFactory"/>.
/// </summary>
public sealed unsafe partial class InferenceSession : IDisposable
{
    private readonly OrtRuntime runtime;
    private readonly OrtHandle session;

    internal InferenceSession(OrtRuntime runtime, OrtHandle session, string executionProvider, string? cudaFallbackReason)
    {
        this.runtime = runtime;
        this.session = session;
        ExecutionProvider = executionProvider;
        CudaFallbackReason = cudaFallbackReason;
        try
        {
            Inputs = ReadMetadata(input: true);
            Outputs = ReadMetadata(input: false);
        }
        catch
        {
            session.Dispose();
            throw;
        }

        outputNames = Outputs.Select(o => o.Name).ToArray();
    }

    /// <summary>The provider the session runs on: <c>CUDAExecutionProvider</c> or <c>CPUExecutionProvider</c>.</summary>
    public string ExecutionProvider { get; }

    /// <summary>Why CUDA was asked for but not used; null when CUDA was not asked for or is in use.</summary>
    public string? CudaFallbackReason { get; }

    /// <summary>True when the session runs on the CUDA execution provider.</summary>
    public bool UsesCuda => ExecutionProvider == OnnxRuntimeInfo.CudaProvider;

    public IReadOnlyList<TensorMetadata> Inputs { get; }

    public IReadOnlyList<TensorMetadata> Outputs { get; }

    public void Dispose() => session.Dispose();

    private TensorMetadata[] ReadMetadata(bool input)
    {
        var api = runtime.Api;
        var raw = session.DangerousGetHandle();
        nuint count;
        api.Check(input ? api.SessionGetInputCount(raw, &count) : api.SessionGetOutputCount(raw, &count), "count the model's inputs and outputs");
        var result = new TensorMetadata[(int)count];
        for (nuint i = 0; i < count; i++)
        {
            byte* namePtr;
            api.Check(
                input ? api.SessionGetInputName(raw, i, runtime.Allocator, &namePtr) : api.SessionGetOutputName(raw, i, runtime.Allocator, &namePtr),
                "read a model input or output name");
            var name = runtime.TakeAllocatedString(namePtr);

            IntPtr typeInfo;
            api.Check(input ? api.SessionGetInputTypeInfo(raw, i, &typeInfo) : api.SessionGetOutputTypeInfo(raw, i, &typeInfo), "read a model input or output type");
            using var typeInfoHandle = new OrtHandle(typeInfo, api.ReleaseTypeInfo);
            result[(int)i] = DescribeType(name, typeInfo);
        }

        return result;
    }

    private TensorMetadata DescribeType(string name, IntPtr typeInfo)
    {
        const int OnnxTypeTensor = 1;
        var api = runtime.Api;
        int onnxType;
        api.Check(api.GetOnnxTypeFromTypeInfo(typeInfo, &onnxType), "read a value kind");
        if (onnxType != OnnxTypeTensor)
        {
            return new TensorMetadata(name, false, TensorElementType.Undefined, []);
        }

        IntPtr tensorInfo; // owned by typeInfo: not released here
        api.Check(api.CastTypeInfoToTensorInfo(typeInfo, &tensorInfo), "read tensor type information");
        var (elementType, dims) = ReadTypeAndShape(tensorInfo);
        return new TensorMetadata(name, true, elementType, dims);
    }

    private (TensorElementType ElementType, long[] Dimensions) ReadTypeAndShape(IntPtr tensorInfo)
    {
        var api = runtime.Api;
        int elementType;
        api.Check(api.GetTensorElementType(tensorInfo, &elementType), "read a tensor element type");
        nuint rank;
        api.Check(api.GetDimensionsCount(tensorInfo, &rank), "read a tensor rank");
        var dims = new long[(int)rank];
        fixed (long* dimsPtr = dims)
        {
            api.Check(api.GetDimensions(tensorInfo, dimsPtr, rank), "read tensor dimensions");
        }

        return ((TensorElementType)elementType, dims);
    }
}
