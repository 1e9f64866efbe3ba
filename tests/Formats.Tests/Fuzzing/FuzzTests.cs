using Provenance.Formats.Fuzzing;

namespace Provenance.Formats.Tests.Fuzzing;

public sealed class FuzzTests
{
    private const int FixedSeed = 20261121;

    public static TheoryData<string> Targets() => [.. FuzzTargets.All.Select(target => target.Name)];

    [Theory]
    [MemberData(nameof(Targets))]
    public void Seed_IsAcceptedByItsParser(string name)
    {
        var target = FuzzTargets.Get(name);

        target.Parse(target.Seed());
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void TruncationsDeepNestingAndMutations_OnlyTheDomainExceptionEscapes(string name)
    {
        var target = FuzzTargets.Get(name);

        var report = FuzzCampaign.Run(target, mutations: 2_000, FixedSeed, caseTimeout: TimeSpan.FromSeconds(10));

        Assert.True(report.Findings.Count == 0, Describe(report));
        Assert.True(report.Iterations > 2_000 + target.Seed().Length);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void EveryTruncation_IsRejectedWithTheDomainException(string name)
    {
        var target = FuzzTargets.Get(name);
        var seed = target.Seed();
        // A BMFF file cut exactly between two top-level boxes may still be a valid, shorter file.
        var validCuts = name == "bmff"
            ? Provenance.Formats.Bmff.BmffLayout.Read(new MemoryStream(seed)).Boxes.Select(box => (int)box.End).ToHashSet()
            : [];

        foreach (var truncated in ByteMutator.Truncations(seed))
        {
            var error = Record.Exception(() => target.Parse(truncated));
            if (validCuts.Contains(truncated.Length))
            {
                Assert.True(error is null || target.DomainException.IsInstanceOfType(error), error?.ToString());
                continue;
            }
            Assert.NotNull(error);
            Assert.IsType(target.DomainException, error);
        }
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void ThousandDeepNesting_IsRejectedWithTheDomainException(string name)
    {
        var target = FuzzTargets.Get(name);

        var error = Record.Exception(() => target.Parse(target.DeepNesting(1000)));

        Assert.IsType(target.DomainException, error);
    }

    [Fact]
    public void Mutations_AreReproducibleFromTheSeed()
    {
        var first = FuzzCampaign.Cases(FuzzTargets.Cbor, 50, FixedSeed).ToList();
        var second = FuzzCampaign.Cases(FuzzTargets.Cbor, 50, FixedSeed).ToList();

        Assert.Equal(first, second);
    }

    private static string Describe(FuzzReport report) => string.Join(Environment.NewLine, report.Findings.Take(5).Select(finding =>
        $"{finding.Kind} {finding.ExceptionName}: {finding.Message} input {Convert.ToHexString(finding.Input[..Math.Min(64, finding.Input.Length)])}"));
}
