using System.Runtime.InteropServices;
using Provenance.Inference.Native;

namespace Provenance.Inference;

/// <summary>
/// Creates <see cref="InferenceSession"/>s. With <see cref="InferenceOptions.PreferCuda"/> the CUDA execution
/// provider is asked for first; when it cannot be used the session is created on the CPU and
/// <see cref="InferenceSession.CudaFallbackReason"/> says why. Model errors are never hidden by the fallback: a
/// model the CPU provider also refuses throws <see cref="InferenceException"/>.
/// </summary>
public static unsafe class InferenceSessionFactory
{
    private const int GraphOptimizationAll = 99;

    // Set once CUDA's provider could not be appended: that is a property of the machine, so later sessions go
    // straight to the CPU with the same reason instead of trying again.
    private static string? cudaUnavailable;

    /// <summary>Creates a session from model bytes (an ONNX ModelProto).</summary>
    public static InferenceSession Create(byte[] model, InferenceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Length == 0)
        {
            throw new InferenceException(InferenceErrorCode.InvalidProtobuf, "The model is empty (0 bytes).");
        }

        return Create(options, (runtime, sessionOptions) =>
        {
            IntPtr session;
            fixed (byte* data = model)
            {
                runtime.Api.Check(
                    runtime.Api.CreateSessionFromArray(runtime.Env, data, (nuint)model.Length, sessionOptions, &session),
                    "load the model");
            }

            return session;
        });
    }

    /// <summary>Creates a session from an .onnx file.</summary>
    public static InferenceSession Create(string modelPath, InferenceOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        var fullPath = Path.GetFullPath(modelPath);
        return Create(options, (runtime, sessionOptions) =>
        {
            IntPtr session;
            var pathPtr = Marshal.StringToCoTaskMemUTF8(fullPath);
            try
            {
                runtime.Api.Check(
                    runtime.Api.CreateSession(runtime.Env, (byte*)pathPtr, sessionOptions, &session),
                    $"load the model {fullPath}");
            }
            finally
            {
                Marshal.FreeCoTaskMem(pathPtr);
            }

            return session;
        });
    }

    private static InferenceSession Create(InferenceOptions? options, Func<OrtRuntime, IntPtr, IntPtr> createSession)
    {
        options ??= new InferenceOptions();
        if (options.IntraOpThreads < 0)
        {
            throw new InferenceException(InferenceErrorCode.InvalidArgument, $"IntraOpThreads must be 0 or more, not {options.IntraOpThreads}.");
        }

        var runtime = OnnxRuntimeLibrary.Load();
        var api = runtime.Api;
        string? fallbackReason = null;

        if (options.PreferCuda)
        {
            fallbackReason = Volatile.Read(ref cudaUnavailable);
            if (fallbackReason is null)
            {
                using var cudaOptions = CreateSessionOptions(runtime, options);
                var appendError = CudaExecutionProvider.TryAppend(runtime, cudaOptions.DangerousGetHandle(), options.CudaDeviceId);
                if (appendError is null)
                {
                    try
                    {
                        var session = createSession(runtime, cudaOptions.DangerousGetHandle());
                        return new InferenceSession(runtime, new OrtHandle(session, api.ReleaseSession), OnnxRuntimeInfo.CudaProvider, null);
                    }
                    catch (InferenceException e)
                    {
                        // The model may be at fault rather than CUDA: the CPU attempt below tells which.
                        fallbackReason = CudaExecutionProvider.Explain(runtime, "creating the session on CUDA failed: " + e.Message);
                    }
                }
                else
                {
                    fallbackReason = CudaExecutionProvider.Explain(runtime, appendError);
                    Volatile.Write(ref cudaUnavailable, fallbackReason);
                }
            }
        }

        using var cpuOptions = CreateSessionOptions(runtime, options);
        var cpuSession = createSession(runtime, cpuOptions.DangerousGetHandle());
        return new InferenceSession(runtime, new OrtHandle(cpuSession, api.ReleaseSession), OnnxRuntimeInfo.CpuProvider, fallbackReason);
    }

    private static OrtHandle CreateSessionOptions(OrtRuntime runtime, InferenceOptions options)
    {
        var api = runtime.Api;
        IntPtr raw;
        api.Check(api.CreateSessionOptions(&raw), "create session options");
        var handle = new OrtHandle(raw, api.ReleaseSessionOptions);
        try
        {
            api.Check(api.SetSessionGraphOptimizationLevel(raw, GraphOptimizationAll), "set the graph optimisation level");
            api.Check(api.SetIntraOpNumThreads(raw, options.IntraOpThreads), "set the intra-op thread count");
            api.Check(api.SetInterOpNumThreads(raw, 1), "set the inter-op thread count");
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }
}
