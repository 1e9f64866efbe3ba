using Provenance.Generator.Safety;

namespace Provenance.Generator.Tests.Safety;

public sealed class PromptCorpusTests
{
    private static readonly string CorpusPath = Path.Combine(AppContext.BaseDirectory, "Safety", "prompt-corpus.tsv");

    public static TheoryData<string, string> Corpus()
    {
        var data = new TheoryData<string, string>();
        foreach (var line in File.ReadAllLines(CorpusPath))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            var tab = line.IndexOf('\t');
            data.Add(line[..tab], line[(tab + 1)..]);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public void DefaultPolicy_DecidesEachCorpusPromptAsExpected(string expected, string prompt)
    {
        var decision = SafetyPolicy.Default.Evaluate(prompt);
        Assert.True(expected == decision.ReasonCode, $"'{prompt}': expected {expected}, got {decision.Describe()}");
        Assert.Equal(expected == PolicyDecision.AllowedCode, decision.Allowed);
    }

    [Fact]
    public void Corpus_HoldsAtLeastAHundredPromptsCoveringEveryCategory()
    {
        var rows = Corpus().Select(r => (string)r[0]).ToList();
        Assert.True(rows.Count >= 100, $"{rows.Count} prompts");
        Assert.True(rows.Count(r => r == PolicyDecision.AllowedCode) >= 40);
        foreach (var code in SafetyPolicy.Default.ReasonCodes)
        {
            Assert.Contains(code, rows);
        }
    }
}
