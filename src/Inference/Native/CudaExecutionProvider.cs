using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Provenance.Inference.Native;

/// <summary>Appends ONNX Runtime's CUDA execution provider to session options and explains why it failed.</summary>
internal static unsafe partial class CudaExecutionProvider
{
    internal const string ProviderLibrary = "libonnxruntime_providers_cuda.so";
    internal const string SharedLibrary = "libonnxruntime_providers_shared.so";

    /// <summary>Appends the provider; returns null on success or ONNX Runtime's message on failure.</summary>
    internal static string? TryAppend(OrtRuntime runtime, IntPtr sessionOptions, int deviceId)
    {
        var api = runtime.Api;
        IntPtr cudaOptions;
        var error = api.StatusMessage(api.CreateCudaProviderOptions(&cudaOptions));
        if (error is not null)
        {
            return error;
        }

        var key = Marshal.StringToCoTaskMemUTF8("device_id");
        var value = Marshal.StringToCoTaskMemUTF8(deviceId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            error = api.StatusMessage(api.UpdateCudaProviderOptions(cudaOptions, (byte**)&key, (byte**)&value, 1));
            return error ?? api.StatusMessage(api.AppendExecutionProviderCudaV2(sessionOptions, cudaOptions));
        }
        finally
        {
            Marshal.FreeCoTaskMem(key);
            Marshal.FreeCoTaskMem(value);
            api.ReleaseCudaProviderOptions(cudaOptions);
        }
    }

    /// <summary>Folder of the loaded library, or null when the system loader found it by name.</summary>
    internal static string? LibraryFolder(OrtRuntime runtime) =>
        Path.IsPathRooted(runtime.LibraryPath) ? Path.GetDirectoryName(runtime.LibraryPath) : null;

    /// <summary>True/false when the library folder is known, null otherwise.</summary>
    internal static bool? ProviderLibrariesPresent(OrtRuntime runtime)
    {
        var folder = LibraryFolder(runtime);
        return folder is null
            ? null
            : File.Exists(Path.Combine(folder, ProviderLibrary)) && File.Exists(Path.Combine(folder, SharedLibrary));
    }

    /// <summary>ONNX Runtime's message plus what this machine lacks, as one sentence for reports.</summary>
    internal static string Explain(OrtRuntime runtime, string ortMessage)
    {
        // ONNX Runtime prefixes its messages with a source location; the sentence after it is what a reader needs.
        var match = OrtMessageBody().Match(ortMessage);
        var message = match.Success ? match.Groups[1].Value : ortMessage;
        var parts = new List<string> { "CUDA execution provider not used, running on CPU: " + message.Trim() };
        if (ProviderLibrariesPresent(runtime) == false)
        {
            parts.Add($"{ProviderLibrary} and {SharedLibrary} are not installed beside {runtime.LibraryPath}");
        }

        var gpu = GpuProbe.Detect();
        if (!gpu.Present)
        {
            parts.Add("no NVIDIA GPU is visible on this machine (" + gpu.Evidence + ")");
        }

        return string.Join("; ", parts) + ".";
    }

    [GeneratedRegex(@"\[ONNXRuntimeError\] : \d+ : \w+ : (.*)$", RegexOptions.Singleline)]
    private static partial Regex OrtMessageBody();
}
