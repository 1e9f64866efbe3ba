using Provenance.Inference.Native;

namespace Provenance.Inference;

/// <summary>
/// What the readiness endpoint reports about inference: the ONNX Runtime library (path, version, build, compiled-in
/// providers), the GPU, the provider sessions will use and, when CUDA was asked for but is not used, why.
/// <see cref="Detect"/> never throws for a missing library: <see cref="IsAvailable"/> is false and
/// <see cref="Error"/> says what was searched.
/// </summary>
public sealed record OnnxRuntimeInfo
{
    public const string CudaProvider = "CUDAExecutionProvider";
    public const string CpuProvider = "CPUExecutionProvider";

    /// <summary>True when the native library loaded and its C API answered.</summary>
    public required bool IsAvailable { get; init; }

    /// <summary>Version string reported by the library (e.g. 1.30.0); null when it did not load.</summary>
    public string? Version { get; init; }

    /// <summary>Full path of the loaded library, or the bare name the system loader resolved.</summary>
    public string? LibraryPath { get; init; }

    /// <summary>The library's own build description (git branch, commit, build type).</summary>
    public string? BuildInfo { get; init; }

    /// <summary>Execution providers compiled into the library; being listed does not mean usable here.</summary>
    public IReadOnlyList<string> AvailableProviders { get; init; } = [];

    /// <summary>Whether the CUDA provider libraries sit beside the library; null when its folder is unknown.</summary>
    public bool? CudaProviderLibrariesPresent { get; init; }

    public required GpuInfo Gpu { get; init; }

    /// <summary>Whether CUDA was asked for (<see cref="InferenceOptions.PreferCuda"/>).</summary>
    public bool CudaRequested { get; init; }

    /// <summary>The provider new sessions get: <see cref="CudaProvider"/>, <see cref="CpuProvider"/>, or "none".</summary>
    public required string ChosenProvider { get; init; }

    /// <summary>Why CUDA was asked for but not chosen; null otherwise.</summary>
    public string? FallbackReason { get; init; }

    /// <summary>Why the library is not available; null when it is.</summary>
    public string? Error { get; init; }

    /// <summary>Loads the library if needed and probes providers. Cheap; does not start processes.</summary>
    public static OnnxRuntimeInfo Detect(InferenceOptions? options = null) => Build(options ?? new InferenceOptions(), GpuProbe.Detect());

    /// <summary>As <see cref="Detect"/>, and also asks nvidia-smi for the GPU names (bounded to a few seconds).</summary>
    public static async Task<OnnxRuntimeInfo> DetectAsync(InferenceOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var gpu = await GpuProbe.DetectAsync(cancellationToken).ConfigureAwait(false);
        return Build(options ?? new InferenceOptions(), gpu);
    }

    private static OnnxRuntimeInfo Build(InferenceOptions options, GpuInfo gpu)
    {
        OrtRuntime runtime;
        try
        {
            runtime = OnnxRuntimeLibrary.Load();
        }
        catch (InferenceException e)
        {
            return new OnnxRuntimeInfo
            {
                IsAvailable = false,
                Gpu = gpu,
                CudaRequested = options.PreferCuda,
                ChosenProvider = "none",
                Error = e.Message,
            };
        }

        var (chosen, reason) = options.PreferCuda ? ProbeCuda(runtime, options) : (CpuProvider, null);
        return new OnnxRuntimeInfo
        {
            IsAvailable = true,
            Version = runtime.Api.Version,
            LibraryPath = runtime.LibraryPath,
            BuildInfo = runtime.BuildInfo(),
            AvailableProviders = runtime.AvailableProviders(),
            CudaProviderLibrariesPresent = CudaExecutionProvider.ProviderLibrariesPresent(runtime),
            Gpu = gpu,
            CudaRequested = options.PreferCuda,
            ChosenProvider = chosen,
            FallbackReason = reason,
        };
    }

    private static unsafe (string Provider, string? Reason) ProbeCuda(OrtRuntime runtime, InferenceOptions options)
    {
        var api = runtime.Api;
        IntPtr raw;
        api.Check(api.CreateSessionOptions(&raw), "create session options");
        using var sessionOptions = new OrtHandle(raw, api.ReleaseSessionOptions);
        var error = CudaExecutionProvider.TryAppend(runtime, raw, options.CudaDeviceId);
        return error is null ? (CudaProvider, null) : (CpuProvider, CudaExecutionProvider.Explain(runtime, error));
    }
}
