using System.Runtime.InteropServices;

namespace Provenance.Inference.Native;

/// <summary>
/// The loaded library and the process-wide objects every session shares: the API table, one <c>OrtEnv</c>,
/// CPU memory info for caller-owned tensors and the default allocator (names returned by the runtime).
/// These live as long as the process; ONNX Runtime expects one environment per process.
/// </summary>
internal sealed unsafe class OrtRuntime
{
    private const int LoggingLevelError = 3;
    private const int DeviceAllocator = 0;
    private const int MemTypeDefault = 0;

    private OrtRuntime(OrtApi api, string libraryPath, IntPtr env, IntPtr cpuMemoryInfo, IntPtr allocator)
    {
        Api = api;
        LibraryPath = libraryPath;
        Env = env;
        CpuMemoryInfo = cpuMemoryInfo;
        Allocator = allocator;
    }

    internal OrtApi Api { get; }

    /// <summary>The full path of the loaded file, or the bare name the system loader resolved.</summary>
    internal string LibraryPath { get; }

    internal IntPtr Env { get; }

    internal IntPtr CpuMemoryInfo { get; }

    internal IntPtr Allocator { get; }

    internal static OrtRuntime Create(IntPtr library, string libraryPath)
    {
        if (!NativeLibrary.TryGetExport(library, "OrtGetApiBase", out var getApiBase))
        {
            throw new InferenceException(
                InferenceErrorCode.LibraryNotFound,
                $"{libraryPath} is not an ONNX Runtime library: it has no OrtGetApiBase export.");
        }

        var apiBase = ((delegate* unmanaged<IntPtr*>)getApiBase)();
        var getApi = (delegate* unmanaged<uint, IntPtr*>)apiBase[0];
        var getVersionString = (delegate* unmanaged<byte*>)apiBase[1];
        var version = Marshal.PtrToStringUTF8((IntPtr)getVersionString()) ?? "unknown";
        var table = getApi(OrtApi.RequestedApiVersion);
        if (table is null)
        {
            throw new InferenceException(
                InferenceErrorCode.LibraryNotFound,
                $"ONNX Runtime {version} at {libraryPath} does not offer C API version {OrtApi.RequestedApiVersion}; " +
                $"version {OnnxRuntimeLibrary.ExpectedVersion} is expected.");
        }

        var api = new OrtApi(table, version);
        IntPtr env;
        fixed (byte* logId = "provenance\0"u8)
        {
            api.Check(api.CreateEnv(LoggingLevelError, logId, &env), "create its environment");
        }

        IntPtr memoryInfo;
        api.Check(api.CreateCpuMemoryInfo(DeviceAllocator, MemTypeDefault, &memoryInfo), "describe CPU memory");
        IntPtr allocator;
        api.Check(api.GetAllocatorWithDefaultOptions(&allocator), "get its default allocator");
        return new OrtRuntime(api, libraryPath, env, memoryInfo, allocator);
    }

    /// <summary>Copies a NUL-terminated UTF-8 string returned by the default allocator, then frees it.</summary>
    internal string TakeAllocatedString(byte* value)
    {
        try
        {
            return Marshal.PtrToStringUTF8((IntPtr)value) ?? string.Empty;
        }
        finally
        {
            Api.Check(Api.AllocatorFree(Allocator, value), "free a returned name");
        }
    }

    /// <summary>Execution providers compiled into this library (not necessarily usable on this machine).</summary>
    internal IReadOnlyList<string> AvailableProviders()
    {
        byte** names;
        int count;
        Api.Check(Api.GetAvailableProviders(&names, &count), "list its execution providers");
        var result = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            result.Add(Marshal.PtrToStringUTF8((IntPtr)names[i]) ?? string.Empty);
        }

        Api.Check(Api.ReleaseAvailableProviders(names, count), "release the provider list");
        return result;
    }

    internal string BuildInfo() => Marshal.PtrToStringUTF8((IntPtr)Api.GetBuildInfoString()) ?? string.Empty;
}
