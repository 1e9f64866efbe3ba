using System.Runtime.InteropServices;

namespace Provenance.Inference.Native;

/// <summary>
/// The part of ONNX Runtime's C API table (<c>OrtApi</c>) this project calls. The table is an append-only array of
/// function pointers; each entry below is read at its fixed slot. Slots come from the order of <c>struct OrtApi</c>
/// in <c>onnxruntime_c_api.h</c>; every entry used here exists since API version 15 or earlier.
/// </summary>
internal sealed unsafe class OrtApi
{
    /// <summary>The API version requested from the library: old enough for any 1.x release from 1.17 on.</summary>
    internal const uint RequestedApiVersion = 17;

    // Slot numbers in struct OrtApi.
    private const int SlotGetErrorCode = 1;
    private const int SlotGetErrorMessage = 2;
    private const int SlotCreateEnv = 3;
    private const int SlotCreateSession = 7;
    private const int SlotCreateSessionFromArray = 8;
    private const int SlotRun = 9;
    private const int SlotCreateSessionOptions = 10;
    private const int SlotSetSessionGraphOptimizationLevel = 23;
    private const int SlotSetIntraOpNumThreads = 24;
    private const int SlotSetInterOpNumThreads = 25;
    private const int SlotSessionGetInputCount = 30;
    private const int SlotSessionGetOutputCount = 31;
    private const int SlotSessionGetInputTypeInfo = 33;
    private const int SlotSessionGetOutputTypeInfo = 34;
    private const int SlotSessionGetInputName = 36;
    private const int SlotSessionGetOutputName = 37;
    private const int SlotCreateRunOptions = 39;
    private const int SlotRunOptionsSetTerminate = 46;
    private const int SlotCreateTensorWithDataAsOrtValue = 49;
    private const int SlotIsTensor = 50;
    private const int SlotGetTensorMutableData = 51;
    private const int SlotCastTypeInfoToTensorInfo = 55;
    private const int SlotGetOnnxTypeFromTypeInfo = 56;
    private const int SlotGetTensorElementType = 60;
    private const int SlotGetDimensionsCount = 61;
    private const int SlotGetDimensions = 62;
    private const int SlotGetTensorShapeElementCount = 64;
    private const int SlotGetTensorTypeAndShape = 65;
    private const int SlotCreateCpuMemoryInfo = 69;
    private const int SlotAllocatorFree = 76;
    private const int SlotGetAllocatorWithDefaultOptions = 78;
    private const int SlotReleaseEnv = 92;
    private const int SlotReleaseStatus = 93;
    private const int SlotReleaseMemoryInfo = 94;
    private const int SlotReleaseSession = 95;
    private const int SlotReleaseValue = 96;
    private const int SlotReleaseRunOptions = 97;
    private const int SlotReleaseTypeInfo = 98;
    private const int SlotReleaseTensorTypeAndShapeInfo = 99;
    private const int SlotReleaseSessionOptions = 100;
    private const int SlotGetAvailableProviders = 125;
    private const int SlotReleaseAvailableProviders = 126;
    private const int SlotAppendExecutionProviderCudaV2 = 204;
    private const int SlotCreateCudaProviderOptions = 205;
    private const int SlotUpdateCudaProviderOptions = 206;
    private const int SlotReleaseCudaProviderOptions = 208;
    private const int SlotGetBuildInfoString = 254;

    internal OrtApi(IntPtr* table, string version)
    {
        Version = version;
        GetErrorCode = (delegate* unmanaged<IntPtr, int>)table[SlotGetErrorCode];
        GetErrorMessage = (delegate* unmanaged<IntPtr, byte*>)table[SlotGetErrorMessage];
        CreateEnv = (delegate* unmanaged<int, byte*, IntPtr*, IntPtr>)table[SlotCreateEnv];
        CreateSession = (delegate* unmanaged<IntPtr, byte*, IntPtr, IntPtr*, IntPtr>)table[SlotCreateSession];
        CreateSessionFromArray = (delegate* unmanaged<IntPtr, void*, nuint, IntPtr, IntPtr*, IntPtr>)table[SlotCreateSessionFromArray];
        Run = (delegate* unmanaged<IntPtr, IntPtr, byte**, IntPtr*, nuint, byte**, nuint, IntPtr*, IntPtr>)table[SlotRun];
        CreateSessionOptions = (delegate* unmanaged<IntPtr*, IntPtr>)table[SlotCreateSessionOptions];
        SetSessionGraphOptimizationLevel = (delegate* unmanaged<IntPtr, int, IntPtr>)table[SlotSetSessionGraphOptimizationLevel];
        SetIntraOpNumThreads = (delegate* unmanaged<IntPtr, int, IntPtr>)table[SlotSetIntraOpNumThreads];
        SetInterOpNumThreads = (delegate* unmanaged<IntPtr, int, IntPtr>)table[SlotSetInterOpNumThreads];
        SessionGetInputCount = (delegate* unmanaged<IntPtr, nuint*, IntPtr>)table[SlotSessionGetInputCount];
        SessionGetOutputCount = (delegate* unmanaged<IntPtr, nuint*, IntPtr>)table[SlotSessionGetOutputCount];
        SessionGetInputTypeInfo = (delegate* unmanaged<IntPtr, nuint, IntPtr*, IntPtr>)table[SlotSessionGetInputTypeInfo];
        SessionGetOutputTypeInfo = (delegate* unmanaged<IntPtr, nuint, IntPtr*, IntPtr>)table[SlotSessionGetOutputTypeInfo];
        SessionGetInputName = (delegate* unmanaged<IntPtr, nuint, IntPtr, byte**, IntPtr>)table[SlotSessionGetInputName];
        SessionGetOutputName = (delegate* unmanaged<IntPtr, nuint, IntPtr, byte**, IntPtr>)table[SlotSessionGetOutputName];
        CreateRunOptions = (delegate* unmanaged<IntPtr*, IntPtr>)table[SlotCreateRunOptions];
        RunOptionsSetTerminate = (delegate* unmanaged<IntPtr, IntPtr>)table[SlotRunOptionsSetTerminate];
        CreateTensorWithDataAsOrtValue = (delegate* unmanaged<IntPtr, void*, nuint, long*, nuint, int, IntPtr*, IntPtr>)table[SlotCreateTensorWithDataAsOrtValue];
        IsTensor = (delegate* unmanaged<IntPtr, int*, IntPtr>)table[SlotIsTensor];
        GetTensorMutableData = (delegate* unmanaged<IntPtr, void**, IntPtr>)table[SlotGetTensorMutableData];
        CastTypeInfoToTensorInfo = (delegate* unmanaged<IntPtr, IntPtr*, IntPtr>)table[SlotCastTypeInfoToTensorInfo];
        GetOnnxTypeFromTypeInfo = (delegate* unmanaged<IntPtr, int*, IntPtr>)table[SlotGetOnnxTypeFromTypeInfo];
        GetTensorElementType = (delegate* unmanaged<IntPtr, int*, IntPtr>)table[SlotGetTensorElementType];
        GetDimensionsCount = (delegate* unmanaged<IntPtr, nuint*, IntPtr>)table[SlotGetDimensionsCount];
        GetDimensions = (delegate* unmanaged<IntPtr, long*, nuint, IntPtr>)table[SlotGetDimensions];
        GetTensorShapeElementCount = (delegate* unmanaged<IntPtr, nuint*, IntPtr>)table[SlotGetTensorShapeElementCount];
        GetTensorTypeAndShape = (delegate* unmanaged<IntPtr, IntPtr*, IntPtr>)table[SlotGetTensorTypeAndShape];
        CreateCpuMemoryInfo = (delegate* unmanaged<int, int, IntPtr*, IntPtr>)table[SlotCreateCpuMemoryInfo];
        AllocatorFree = (delegate* unmanaged<IntPtr, void*, IntPtr>)table[SlotAllocatorFree];
        GetAllocatorWithDefaultOptions = (delegate* unmanaged<IntPtr*, IntPtr>)table[SlotGetAllocatorWithDefaultOptions];
        ReleaseEnv = (delegate* unmanaged<IntPtr, void>)table[SlotReleaseEnv];
        ReleaseStatus = (delegate* unmanaged<IntPtr, void>)table[SlotReleaseStatus];
        ReleaseMemoryInfo = (delegate* unmanaged<IntPtr, void>)table[SlotReleaseMemoryInfo];
        ReleaseSession = (delegate* unmanaged<IntPtr, void>)table[SlotReleaseSession];
        ReleaseValue = (delegate* unmanaged<IntPtr, void>)table[SlotReleaseValue];
        ReleaseRunOptions = (delegate* unmanaged<IntPtr, void>)table[SlotReleaseRunOptions];
        ReleaseTypeInfo = (delegate* unmanaged<IntPtr, void>)table[SlotReleaseTypeInfo];
        ReleaseTensorTypeAndShapeInfo = (delegate* unmanaged<IntPtr, void>)table[SlotReleaseTensorTypeAndShapeInfo];
        ReleaseSessionOptions = (delegate* unmanaged<IntPtr, void>)table[SlotReleaseSessionOptions];
        GetAvailableProviders = (delegate* unmanaged<byte***, int*, IntPtr>)table[SlotGetAvailableProviders];
        ReleaseAvailableProviders = (delegate* unmanaged<byte**, int, IntPtr>)table[SlotReleaseAvailableProviders];
        AppendExecutionProviderCudaV2 = (delegate* unmanaged<IntPtr, IntPtr, IntPtr>)table[SlotAppendExecutionProviderCudaV2];
        CreateCudaProviderOptions = (delegate* unmanaged<IntPtr*, IntPtr>)table[SlotCreateCudaProviderOptions];
        UpdateCudaProviderOptions = (delegate* unmanaged<IntPtr, byte**, byte**, nuint, IntPtr>)table[SlotUpdateCudaProviderOptions];
        ReleaseCudaProviderOptions = (delegate* unmanaged<IntPtr, void>)table[SlotReleaseCudaProviderOptions];
        GetBuildInfoString = (delegate* unmanaged<byte*>)table[SlotGetBuildInfoString];
    }

    /// <summary>The version string the library reports (<c>OrtApiBase::GetVersionString</c>).</summary>
    internal string Version { get; }

    internal readonly delegate* unmanaged<IntPtr, int> GetErrorCode;
    internal readonly delegate* unmanaged<IntPtr, byte*> GetErrorMessage;
    internal readonly delegate* unmanaged<int, byte*, IntPtr*, IntPtr> CreateEnv;
    internal readonly delegate* unmanaged<IntPtr, byte*, IntPtr, IntPtr*, IntPtr> CreateSession;
    internal readonly delegate* unmanaged<IntPtr, void*, nuint, IntPtr, IntPtr*, IntPtr> CreateSessionFromArray;
    internal readonly delegate* unmanaged<IntPtr, IntPtr, byte**, IntPtr*, nuint, byte**, nuint, IntPtr*, IntPtr> Run;
    internal readonly delegate* unmanaged<IntPtr*, IntPtr> CreateSessionOptions;
    internal readonly delegate* unmanaged<IntPtr, int, IntPtr> SetSessionGraphOptimizationLevel;
    internal readonly delegate* unmanaged<IntPtr, int, IntPtr> SetIntraOpNumThreads;
    internal readonly delegate* unmanaged<IntPtr, int, IntPtr> SetInterOpNumThreads;
    internal readonly delegate* unmanaged<IntPtr, nuint*, IntPtr> SessionGetInputCount;
    internal readonly delegate* unmanaged<IntPtr, nuint*, IntPtr> SessionGetOutputCount;
    internal readonly delegate* unmanaged<IntPtr, nuint, IntPtr*, IntPtr> SessionGetInputTypeInfo;
    internal readonly delegate* unmanaged<IntPtr, nuint, IntPtr*, IntPtr> SessionGetOutputTypeInfo;
    internal readonly delegate* unmanaged<IntPtr, nuint, IntPtr, byte**, IntPtr> SessionGetInputName;
    internal readonly delegate* unmanaged<IntPtr, nuint, IntPtr, byte**, IntPtr> SessionGetOutputName;
    internal readonly delegate* unmanaged<IntPtr*, IntPtr> CreateRunOptions;
    internal readonly delegate* unmanaged<IntPtr, IntPtr> RunOptionsSetTerminate;
    internal readonly delegate* unmanaged<IntPtr, void*, nuint, long*, nuint, int, IntPtr*, IntPtr> CreateTensorWithDataAsOrtValue;
    internal readonly delegate* unmanaged<IntPtr, int*, IntPtr> IsTensor;
    internal readonly delegate* unmanaged<IntPtr, void**, IntPtr> GetTensorMutableData;
    internal readonly delegate* unmanaged<IntPtr, IntPtr*, IntPtr> CastTypeInfoToTensorInfo;
    internal readonly delegate* unmanaged<IntPtr, int*, IntPtr> GetOnnxTypeFromTypeInfo;
    internal readonly delegate* unmanaged<IntPtr, int*, IntPtr> GetTensorElementType;
    internal readonly delegate* unmanaged<IntPtr, nuint*, IntPtr> GetDimensionsCount;
    internal readonly delegate* unmanaged<IntPtr, long*, nuint, IntPtr> GetDimensions;
    internal readonly delegate* unmanaged<IntPtr, nuint*, IntPtr> GetTensorShapeElementCount;
    internal readonly delegate* unmanaged<IntPtr, IntPtr*, IntPtr> GetTensorTypeAndShape;
    internal readonly delegate* unmanaged<int, int, IntPtr*, IntPtr> CreateCpuMemoryInfo;
    internal readonly delegate* unmanaged<IntPtr, void*, IntPtr> AllocatorFree;
    internal readonly delegate* unmanaged<IntPtr*, IntPtr> GetAllocatorWithDefaultOptions;
    internal readonly delegate* unmanaged<IntPtr, void> ReleaseEnv;
    internal readonly delegate* unmanaged<IntPtr, void> ReleaseStatus;
    internal readonly delegate* unmanaged<IntPtr, void> ReleaseMemoryInfo;
    internal readonly delegate* unmanaged<IntPtr, void> ReleaseSession;
    internal readonly delegate* unmanaged<IntPtr, void> ReleaseValue;
    internal readonly delegate* unmanaged<IntPtr, void> ReleaseRunOptions;
    internal readonly delegate* unmanaged<IntPtr, void> ReleaseTypeInfo;
    internal readonly delegate* unmanaged<IntPtr, void> ReleaseTensorTypeAndShapeInfo;
    internal readonly delegate* unmanaged<IntPtr, void> ReleaseSessionOptions;
    internal readonly delegate* unmanaged<byte***, int*, IntPtr> GetAvailableProviders;
    internal readonly delegate* unmanaged<byte**, int, IntPtr> ReleaseAvailableProviders;
    internal readonly delegate* unmanaged<IntPtr, IntPtr, IntPtr> AppendExecutionProviderCudaV2;
    internal readonly delegate* unmanaged<IntPtr*, IntPtr> CreateCudaProviderOptions;
    internal readonly delegate* unmanaged<IntPtr, byte**, byte**, nuint, IntPtr> UpdateCudaProviderOptions;
    internal readonly delegate* unmanaged<IntPtr, void> ReleaseCudaProviderOptions;
    internal readonly delegate* unmanaged<byte*> GetBuildInfoString;

    /// <summary>Turns a returned <c>OrtStatus*</c> into an <see cref="InferenceException"/> (and frees it).</summary>
    internal void Check(IntPtr status, string action)
    {
        if (status == IntPtr.Zero)
        {
            return;
        }

        var code = (InferenceErrorCode)GetErrorCode(status);
        var message = Marshal.PtrToStringUTF8((IntPtr)GetErrorMessage(status)) ?? "(no message)";
        ReleaseStatus(status);
        throw new InferenceException(code, $"ONNX Runtime failed to {action}: [{code}] {message}");
    }

    /// <summary>Reads a status without throwing: null on success, otherwise the message (the status is freed).</summary>
    internal string? StatusMessage(IntPtr status)
    {
        if (status == IntPtr.Zero)
        {
            return null;
        }

        var code = (InferenceErrorCode)GetErrorCode(status);
        var message = Marshal.PtrToStringUTF8((IntPtr)GetErrorMessage(status)) ?? "(no message)";
        ReleaseStatus(status);
        return $"[{code}] {message}";
    }
}
