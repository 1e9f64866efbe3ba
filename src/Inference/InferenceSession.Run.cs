using System.Buffers;
using System.Runtime.InteropServices;
using Provenance.Inference.Native;

namespace Provenance.Inference;

public sealed unsafe partial class InferenceSession
{
    private readonly string[] outputNames;

    /// <summary>Runs the model and returns every output, in the model's output order.</summary>
    /// <exception cref="InferenceException">ONNX Runtime refused the inputs (unknown name, wrong shape or type) or failed.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled; a running model is asked to stop.</exception>
    public IReadOnlyList<NamedTensor> Run(IReadOnlyList<NamedTensor> inputs, CancellationToken cancellationToken = default) =>
        Run(inputs, outputNames, cancellationToken);

    /// <summary>Runs the model and returns the named outputs, in the order asked for.</summary>
    public IReadOnlyList<NamedTensor> Run(
        IReadOnlyList<NamedTensor> inputs, IReadOnlyList<string> requestedOutputs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(requestedOutputs);
        ObjectDisposedException.ThrowIf(session.IsClosed, this);
        cancellationToken.ThrowIfCancellationRequested();
        if (requestedOutputs.Count == 0)
        {
            throw new InferenceException(InferenceErrorCode.InvalidArgument, "At least one output must be requested.");
        }

        var api = runtime.Api;
        var pins = new MemoryHandle[inputs.Count];
        var inputValues = new IntPtr[inputs.Count];
        var outputValues = new IntPtr[requestedOutputs.Count];
        var inputNames = new IntPtr[inputs.Count];
        var outputNamePtrs = new IntPtr[requestedOutputs.Count];
        IntPtr runOptions = IntPtr.Zero;
        var addedRef = false;
        try
        {
            session.DangerousAddRef(ref addedRef);
            for (var i = 0; i < inputs.Count; i++)
            {
                var tensor = inputs[i] ?? throw new ArgumentException("An input tensor is null.", nameof(inputs));
                inputNames[i] = Marshal.StringToCoTaskMemUTF8(tensor.Name);
                pins[i] = tensor.Data.Pin();
                inputValues[i] = CreateInputValue(tensor, pins[i]);
            }

            for (var i = 0; i < requestedOutputs.Count; i++)
            {
                outputNamePtrs[i] = Marshal.StringToCoTaskMemUTF8(requestedOutputs[i]);
            }

            if (cancellationToken.CanBeCanceled)
            {
                api.Check(api.CreateRunOptions(&runOptions), "create run options");
            }

            RunNative(inputNames, inputValues, outputNamePtrs, outputValues, runOptions, cancellationToken);

            var results = new NamedTensor[outputValues.Length];
            for (var i = 0; i < outputValues.Length; i++)
            {
                results[i] = ReadOutput(requestedOutputs[i], outputValues[i]);
            }

            return results;
        }
        finally
        {
            foreach (var value in outputValues)
            {
                if (value != IntPtr.Zero)
                {
                    api.ReleaseValue(value);
                }
            }

            foreach (var value in inputValues)
            {
                if (value != IntPtr.Zero)
                {
                    api.ReleaseValue(value);
                }
            }

            foreach (var pin in pins)
            {
                pin.Dispose();
            }

            foreach (var name in inputNames.Concat(outputNamePtrs))
            {
                Marshal.FreeCoTaskMem(name);
            }

            if (runOptions != IntPtr.Zero)
            {
                api.ReleaseRunOptions(runOptions);
            }

            if (addedRef)
            {
                session.DangerousRelease();
            }
        }
    }

    private void RunNative(
        IntPtr[] inputNames, IntPtr[] inputValues, IntPtr[] outputNames, IntPtr[] outputValues, IntPtr runOptions, CancellationToken cancellationToken)
    {
        var api = runtime.Api;
        IntPtr status;
        var stopRequest = runOptions == IntPtr.Zero
            ? default
            : cancellationToken.Register(
                static state =>
                {
                    var (owner, options) = ((InferenceSession, IntPtr))state!;
                    owner.StopRun(options);
                },
                (this, runOptions));
        using (stopRequest)
        {
            fixed (IntPtr* inNames = inputNames)
            fixed (IntPtr* inValues = inputValues)
            fixed (IntPtr* outNames = outputNames)
            fixed (IntPtr* outValues = outputValues)
            {
                status = api.Run(
                    session.DangerousGetHandle(), runOptions,
                    (byte**)inNames, inValues, (nuint)inputValues.Length,
                    (byte**)outNames, (nuint)outputValues.Length, outValues);
            }
        }

        if (status != IntPtr.Zero && cancellationToken.IsCancellationRequested)
        {
            api.StatusMessage(status);
            throw new OperationCanceledException("The model run was cancelled.", cancellationToken);
        }

        api.Check(status, "run the model");
    }

    /// <summary>Asks a run in progress to stop; the run then returns an error status that becomes a cancellation.</summary>
    private void StopRun(IntPtr runOptions) => runtime.Api.StatusMessage(runtime.Api.RunOptionsSetTerminate(runOptions));

    private IntPtr CreateInputValue(NamedTensor tensor, MemoryHandle pin)
    {
        const int ElementTypeFloat = 1;
        var api = runtime.Api;
        IntPtr value;
        var shape = tensor.ShapeSpan;
        fixed (long* shapePtr = shape)
        {
            api.Check(
                api.CreateTensorWithDataAsOrtValue(
                    runtime.CpuMemoryInfo, pin.Pointer, (nuint)(tensor.Data.Length * sizeof(float)),
                    shapePtr, (nuint)shape.Length, ElementTypeFloat, &value),
                $"wrap input '{tensor.Name}' as a tensor");
        }

        return value;
    }

    private NamedTensor ReadOutput(string name, IntPtr value)
    {
        var api = runtime.Api;
        int isTensor;
        api.Check(api.IsTensor(value, &isTensor), "inspect an output");
        if (isTensor == 0)
        {
            throw new InferenceException(InferenceErrorCode.NotImplemented, $"Output '{name}' is not a tensor; only float tensors are supported.");
        }

        IntPtr info;
        api.Check(api.GetTensorTypeAndShape(value, &info), $"read the shape of output '{name}'");
        using var infoHandle = new OrtHandle(info, api.ReleaseTensorTypeAndShapeInfo);
        var (elementType, dims) = ReadTypeAndShape(info);
        if (elementType != TensorElementType.Float)
        {
            throw new InferenceException(
                InferenceErrorCode.NotImplemented, $"Output '{name}' holds {elementType} values; only float tensors are supported.");
        }

        nuint count;
        api.Check(api.GetTensorShapeElementCount(info, &count), $"count the values of output '{name}'");
        var data = new float[checked((int)count)];
        if (data.Length > 0)
        {
            void* source;
            api.Check(api.GetTensorMutableData(value, &source), $"read output '{name}'");
            new ReadOnlySpan<float>(source, data.Length).CopyTo(data);
        }

        return new NamedTensor(name, dims, data);
    }
}
