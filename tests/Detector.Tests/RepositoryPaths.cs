namespace Provenance.Detector.Tests;

/// <summary>Finds files of the repository (docs/, models/, training/) from the test's output folder.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Of(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Provenance.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("repository root (Provenance.sln) not found above " + AppContext.BaseDirectory);
    }
}
