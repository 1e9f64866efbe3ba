using System.Runtime.InteropServices;
using Provenance.Inference.Native;

namespace Provenance.Inference;

/// <summary>
/// Finds and loads the ONNX Runtime native library once per process. Search order: the configured path
/// (<see cref="ConfigurationKey"/>, handed in by the host through <see cref="Configure"/>), the environment variable
/// <see cref="EnvironmentVariable"/>, the application folder, the repository's <c>.cache/onnxruntime/1.30.0</c>
/// found by walking up from the application folder, then the system loader. A configured or environment path that
/// fails is an error of its own; it does not fall through to the next place.
/// </summary>
public static class OnnxRuntimeLibrary
{
    /// <summary>Configuration key the host reads and passes to <see cref="Configure"/>: a file or a folder.</summary>
    public const string ConfigurationKey = "Provenance:OnnxRuntime:Path";

    /// <summary>Environment variable naming the library file or its folder.</summary>
    public const string EnvironmentVariable = "PROVENANCE_ORT_PATH";

    /// <summary>The ONNX Runtime release the set-up script fetches.</summary>
    public const string ExpectedVersion = "1.30.0";

    /// <summary>Where scripts/setup.sh puts the library, relative to the repository root.</summary>
    public static readonly string CacheFolder = Path.Combine(".cache", "onnxruntime", ExpectedVersion);

    private static readonly string[] FileNames = ["libonnxruntime.so.1", "libonnxruntime.so"];
    private static readonly Lock Gate = new();
    private static string? configuredPath;
    private static OrtRuntime? runtime;

    /// <summary>
    /// Sets the configured library path (file or folder). Must be called before the first session is created;
    /// once the library is loaded a different path is refused.
    /// </summary>
    public static void Configure(string? path)
    {
        lock (Gate)
        {
            var normalised = string.IsNullOrWhiteSpace(path) ? null : path;
            if (runtime is not null && normalised is not null && !IsSameLibrary(normalised, runtime.LibraryPath))
            {
                throw new InvalidOperationException(
                    $"ONNX Runtime is already loaded from {runtime.LibraryPath}; it cannot be switched to {normalised} in this process.");
            }

            configuredPath = normalised;
        }
    }

    /// <summary>True once the native library has been loaded in this process.</summary>
    public static bool IsLoaded => Volatile.Read(ref runtime) is not null;

    /// <summary>Loads the library (first call) and returns the process-wide runtime.</summary>
    internal static OrtRuntime Load()
    {
        var loaded = Volatile.Read(ref runtime);
        if (loaded is not null)
        {
            return loaded;
        }

        lock (Gate)
        {
            if (runtime is not null)
            {
                return runtime;
            }

            var (handle, path) = Resolve();
            runtime = OrtRuntime.Create(handle, path);
            return runtime;
        }
    }

    private static (IntPtr Handle, string Path) Resolve()
    {
        var location = Locate(configuredPath, Environment.GetEnvironmentVariable(EnvironmentVariable), AppContext.BaseDirectory);
        if (location.Path is not null)
        {
            return (LoadFile(location.Path, location.Source), location.Path);
        }

        foreach (var name in FileNames)
        {
            if (NativeLibrary.TryLoad(name, out var handle))
            {
                return (handle, name);
            }
        }

        throw new InferenceException(
            InferenceErrorCode.LibraryNotFound,
            "ONNX Runtime native library not found. Searched: " + string.Join("; ", location.Searched) +
            $"; system loader names {string.Join(", ", FileNames)} (not found). Run scripts/setup.sh (it fetches ONNX Runtime " +
            $"{ExpectedVersion} into {CacheFolder}) or set {EnvironmentVariable}.");
    }

    /// <summary>Where the library file is, without loading it. A null path means: ask the system loader.</summary>
    /// <exception cref="InferenceException">A configured or environment path names nothing usable.</exception>
    internal static LibraryLocation Locate(string? configured, string? environment, string baseDirectory)
    {
        var searched = new List<string>();
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return LocateExplicit(configured, $"configuration {ConfigurationKey}");
        }

        searched.Add($"configuration {ConfigurationKey} (not set)");
        if (!string.IsNullOrWhiteSpace(environment))
        {
            return LocateExplicit(environment, $"environment variable {EnvironmentVariable}");
        }

        searched.Add($"environment variable {EnvironmentVariable} (not set)");
        foreach (var folder in CandidateFolders(baseDirectory))
        {
            foreach (var name in FileNames)
            {
                var candidate = Path.Combine(folder, name);
                if (File.Exists(candidate))
                {
                    return new LibraryLocation(Path.GetFullPath(candidate), "found in " + folder, searched);
                }
            }

            searched.Add(folder + " (no " + FileNames[0] + ")");
        }

        if (searched.Count == 3)
        {
            searched.Add($"{CacheFolder} in {Path.GetFullPath(baseDirectory)} and the folders above it (none)");
        }

        return new LibraryLocation(null, "system loader", searched);
    }

    internal sealed record LibraryLocation(string? Path, string Source, IReadOnlyList<string> Searched);

    /// <summary>The application folder, then the nearest ancestor's .cache/onnxruntime/VERSION.</summary>
    private static IEnumerable<string> CandidateFolders(string baseDirectory)
    {
        yield return Path.GetFullPath(baseDirectory);
        for (var dir = new DirectoryInfo(baseDirectory); dir is not null; dir = dir.Parent)
        {
            var cache = Path.Combine(dir.FullName, CacheFolder);
            if (Directory.Exists(cache))
            {
                yield return cache;
                yield break;
            }
        }
    }

    private static LibraryLocation LocateExplicit(string path, string source)
    {
        if (Directory.Exists(path))
        {
            foreach (var name in FileNames)
            {
                var candidate = Path.Combine(path, name);
                if (File.Exists(candidate))
                {
                    return new LibraryLocation(Path.GetFullPath(candidate), $"named by {source}", [source]);
                }
            }

            throw new InferenceException(
                InferenceErrorCode.LibraryNotFound,
                $"ONNX Runtime native library not found: {source} names the folder {path}, which holds neither {string.Join(" nor ", FileNames)}.");
        }

        if (!File.Exists(path))
        {
            throw new InferenceException(
                InferenceErrorCode.LibraryNotFound,
                $"ONNX Runtime native library not found: {source} names {path}, which does not exist.");
        }

        return new LibraryLocation(Path.GetFullPath(path), $"named by {source}", [source]);
    }

    private static IntPtr LoadFile(string path, string how)
    {
        try
        {
            return NativeLibrary.Load(Path.GetFullPath(path));
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            throw new InferenceException(
                InferenceErrorCode.LibraryNotFound,
                $"ONNX Runtime native library {path} ({how}) could not be loaded: {e.Message}", e);
        }
    }

    private static bool IsSameLibrary(string configured, string loaded)
    {
        var full = Path.GetFullPath(configured);
        return string.Equals(full, loaded, StringComparison.Ordinal) ||
               string.Equals(Path.GetDirectoryName(loaded), full.TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal);
    }
}
