namespace Provenance.Generator.Safety;

/// <summary>
/// One policy term compiled for matching: its normalised words, whether the last word is a prefix
/// (<c>behead*</c>), and its words run together for compounds ("spider man" also matches "spiderman").
/// Letters may repeat in the prompt ("kiiill" matches "kill") but never fewer times than in the term,
/// so "as" does not match "ass".
/// </summary>
public sealed class PolicyTerm
{
    /// <summary>Terms at least this long are also searched inside the prompt's run-together letters.</summary>
    public const int MinJoinedLength = 8;

    private PolicyTerm(string source, IReadOnlyList<string> words, bool prefix)
    {
        Source = source;
        Words = words;
        Prefix = prefix;
        Compound = string.Concat(words);
    }

    /// <summary>The term as written in the policy.</summary>
    public string Source { get; }

    public IReadOnlyList<string> Words { get; }

    public bool Prefix { get; }

    public string Compound { get; }

    /// <summary>Compiles a term; returns null for one with no letters or digits.</summary>
    public static PolicyTerm? Compile(string term)
    {
        var trimmed = term.Trim();
        var prefix = trimmed.EndsWith('*');
        var words = PromptNormaliser.TermWords(prefix ? trimmed[..^1] : trimmed);
        return words.Count == 0 ? null : new PolicyTerm(trimmed, words, prefix);
    }

    public bool Matches(NormalisedPrompt prompt)
    {
        foreach (var view in prompt.Views)
        {
            if (MatchesWords(view))
            {
                return true;
            }
        }
        return Compound.Length >= MinJoinedLength && Contains(prompt.Joined, Compound);
    }

    private bool MatchesWords(IReadOnlyList<string> view) => Spans(view).Any();

    /// <summary>Where the term occurs in a word list, as (first word, word count).</summary>
    internal IEnumerable<(int Start, int Length)> Spans(IReadOnlyList<string> view)
    {
        for (var i = 0; i < view.Count; i++)
        {
            if (Words.Count > 1 && WordMatches(view[i], Compound, Prefix))
            {
                yield return (i, 1);
                continue;
            }
            if (i + Words.Count > view.Count)
            {
                continue;
            }
            var all = true;
            for (var j = 0; j < Words.Count && all; j++)
            {
                all = WordMatches(view[i + j], Words[j], Prefix && j == Words.Count - 1);
            }
            if (all)
            {
                yield return (i, Words.Count);
            }
        }
    }

    /// <summary>Whole-word (or prefix) match allowing each letter run of the term to repeat in the word.</summary>
    internal static bool WordMatches(string word, string term, bool prefix)
    {
        if (word.Length == 0)
        {
            return false;
        }
        var end = MatchRuns(word, 0, term);
        return end >= 0 && (prefix || end == word.Length);
    }

    private static bool Contains(string text, string term)
    {
        for (var start = 0; start < text.Length; start++)
        {
            if (text[start] == term[0] && MatchRuns(text, start, term) >= 0)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Matches the runs of <paramref name="term"/> from <paramref name="start"/>; returns the end index or -1.</summary>
    private static int MatchRuns(string text, int start, string term)
    {
        var i = 0;
        var j = start;
        while (i < term.Length)
        {
            var c = term[i];
            var termRun = 1;
            while (i + termRun < term.Length && term[i + termRun] == c)
            {
                termRun++;
            }
            var textRun = 0;
            while (j + textRun < text.Length && text[j + textRun] == c)
            {
                textRun++;
            }
            if (textRun < termRun)
            {
                return -1;
            }
            i += termRun;
            j += textRun;
        }
        return j;
    }
}
