using Provenance.Formats.Fuzzing;

namespace Provenance.Formats.Tests.Fuzzing;

/// <summary>Every input that ever broke a parser, or that probes a limit, kept as a file and replayed.</summary>
public sealed class RegressionCorpusTests
{
    public static string CorpusFolder => Path.Combine(RepositoryRoot(), "tests", "Formats.Tests", "Data", "regressions");

    public static TheoryData<string, string> Inputs()
    {
        var data = new TheoryData<string, string>();
        foreach (var target in FuzzTargets.All)
        {
            var folder = Path.Combine(CorpusFolder, target.Name);
            if (!Directory.Exists(folder))
                continue;
            foreach (var file in Directory.EnumerateFiles(folder, "*.bin").Order(StringComparer.Ordinal))
                data.Add(target.Name, Path.GetFileName(file));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void RegressionInput_OnlyRaisesTheDomainException(string targetName, string fileName)
    {
        var target = FuzzTargets.Get(targetName);
        var input = File.ReadAllBytes(Path.Combine(CorpusFolder, targetName, fileName));

        var escaped = target.Check(input);

        Assert.Null(escaped);
    }

    [Fact]
    public void Corpus_HasInputsForEveryParser()
    {
        foreach (var target in FuzzTargets.All)
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(CorpusFolder, target.Name), "*.bin"));
    }

    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Provenance.sln")))
            directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
