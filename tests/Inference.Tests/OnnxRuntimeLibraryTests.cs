namespace Provenance.Inference.Tests;

public sealed class OnnxRuntimeLibraryTests : IDisposable
{
    private readonly DirectoryInfo temp = Directory.CreateTempSubdirectory("provenance-ort-");

    public void Dispose() => temp.Delete(recursive: true);

    [Fact]
    public void Locate_ConfiguredFileThatDoesNotExist_IsAnErrorNamingTheConfigurationKey()
    {
        var missing = Path.Combine(temp.FullName, "libonnxruntime.so.1");

        var error = Assert.Throws<InferenceException>(() => OnnxRuntimeLibrary.Locate(missing, null, temp.FullName));

        Assert.Equal(InferenceErrorCode.LibraryNotFound, error.Code);
        Assert.Contains(OnnxRuntimeLibrary.ConfigurationKey, error.Message, StringComparison.Ordinal);
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Locate_EnvironmentFolderWithoutTheLibrary_IsAnErrorNamingTheVariable()
    {
        var error = Assert.Throws<InferenceException>(() => OnnxRuntimeLibrary.Locate(null, temp.FullName, temp.FullName));

        Assert.Contains(OnnxRuntimeLibrary.EnvironmentVariable, error.Message, StringComparison.Ordinal);
        Assert.Contains(temp.FullName, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Locate_ConfiguredFolder_FindsTheLibraryInside_AndWinsOverTheEnvironment()
    {
        var configured = temp.CreateSubdirectory("configured");
        File.WriteAllBytes(Path.Combine(configured.FullName, "libonnxruntime.so.1"), [0]);

        var location = OnnxRuntimeLibrary.Locate(configured.FullName, "/nonexistent/elsewhere", temp.FullName);

        Assert.Equal(Path.Combine(configured.FullName, "libonnxruntime.so.1"), location.Path);
    }

    [Fact]
    public void Locate_WithoutConfiguration_WalksUpToTheRepositoryCacheFolder()
    {
        var cache = Directory.CreateDirectory(Path.Combine(temp.FullName, OnnxRuntimeLibrary.CacheFolder));
        File.WriteAllBytes(Path.Combine(cache.FullName, "libonnxruntime.so.1"), [0]);
        var appFolder = temp.CreateSubdirectory("src").CreateSubdirectory("Api").CreateSubdirectory("bin");

        var location = OnnxRuntimeLibrary.Locate(null, null, appFolder.FullName);

        Assert.Equal(Path.Combine(cache.FullName, "libonnxruntime.so.1"), location.Path);
    }

    [Fact]
    public void Locate_WhenNothingIsFound_FallsToTheSystemLoaderAndListsWhatWasSearched()
    {
        var location = OnnxRuntimeLibrary.Locate(null, null, temp.FullName);

        Assert.Null(location.Path);
        var searched = string.Join("; ", location.Searched);
        Assert.Contains(OnnxRuntimeLibrary.ConfigurationKey, searched, StringComparison.Ordinal);
        Assert.Contains(OnnxRuntimeLibrary.EnvironmentVariable, searched, StringComparison.Ordinal);
        Assert.Contains(temp.FullName, searched, StringComparison.Ordinal);
    }

    [Fact]
    public void Configure_WithADifferentPathAfterLoading_IsRefused()
    {
        _ = OnnxRuntimeInfo.Detect(InferenceOptions.Cpu);
        Assert.True(OnnxRuntimeLibrary.IsLoaded);

        Assert.Throws<InvalidOperationException>(() => OnnxRuntimeLibrary.Configure(Path.Combine(temp.FullName, "other.so")));
    }
}
