using System.Text;

namespace Provenance.Generator.Safety;

/// <summary>
/// A prompt reduced to the forms the policy matches against. Each view is a list of lower-case ASCII
/// words; a term matches when it appears as whole words in any view, so obfuscation that survives one
/// view is caught by another while innocent words that merely contain a term ("Scunthorpe",
/// "therapist") never match.
/// </summary>
public sealed class NormalisedPrompt
{
    internal NormalisedPrompt(string folded, IReadOnlyList<IReadOnlyList<string>> views, string joined)
    {
        Folded = folded;
        Views = views;
        Joined = joined;
    }

    /// <summary>The folded text (homoglyphs, compatibility forms, diacritics, case and invisible characters removed).</summary>
    public string Folded { get; }

    /// <summary>Word lists: split at punctuation; split at spaces with inner punctuation dropped; spaced-out letters joined; ambiguous leetspeak expanded.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Views { get; }

    /// <summary>All letters and digits run together, for long terms hidden by spaces inside words.</summary>
    public string Joined { get; }

    /// <summary>
    /// The prompt with the words of the given phrases blanked out, so an exception ("naked eye") shields
    /// only its own words and cannot be used to smuggle a term elsewhere in the prompt.
    /// </summary>
    public NormalisedPrompt Without(IReadOnlyList<PolicyTerm> phrases)
    {
        if (phrases.Count == 0)
        {
            return this;
        }
        var views = new List<IReadOnlyList<string>>(Views.Count);
        foreach (var view in Views)
        {
            var words = view.ToArray();
            foreach (var phrase in phrases)
            {
                foreach (var (start, length) in phrase.Spans(words))
                {
                    Array.Fill(words, "", start, length);
                }
            }
            views.Add(words);
        }
        var joined = Joined;
        foreach (var phrase in phrases)
        {
            joined = joined.Replace(phrase.Compound, " ", StringComparison.Ordinal);
        }
        return new NormalisedPrompt(Folded, views, joined);
    }
}

/// <summary>Builds <see cref="NormalisedPrompt"/>s: folding, leetspeak, and the word views.</summary>
public static class PromptNormaliser
{
    /// <summary>Leetspeak digits and symbols with one reading.</summary>
    private static readonly Dictionary<char, char> Leet = new()
    {
        ['0'] = 'o', ['3'] = 'e', ['4'] = 'a', ['5'] = 's', ['7'] = 't', ['8'] = 'b', ['9'] = 'g', ['6'] = 'g',
        ['@'] = 'a', ['$'] = 's', ['+'] = 't', ['€'] = 'e', ['£'] = 'l', ['¢'] = 'c', ['2'] = 'z',
    };

    /// <summary>Characters that read as either i or l.</summary>
    private static readonly HashSet<char> IOrL = ['1', '|', '!'];

    private const int MaxAmbiguous = 4;

    public static NormalisedPrompt Normalise(string prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var folded = TextFolding.Fold(prompt);
        var views = new List<IReadOnlyList<string>>();

        // View 1: split wherever a character is neither a letter, a digit nor an in-word leet symbol.
        var split = SplitWords(folded, keepInnerPunctuation: false);
        var splitWords = split.Select(DeLeet).ToList();
        views.Add(splitWords.Select(w => w[0]).ToList());

        // View 2: split only at white space; punctuation inside a chunk is dropped ("k.i.l.l", "s-e-x").
        var chunks = SplitWords(folded, keepInnerPunctuation: true).Select(DeLeet).ToList();
        views.Add(chunks.Select(w => w[0]).ToList());

        // View 3: runs of three or more single letters joined ("k i l l").
        views.Add(JoinSpacedLetters(views[0]));
        views.Add(JoinSpacedLetters(views[1]));

        // Views 4+: the other readings of ambiguous characters (1, |, ! as i or l).
        foreach (var source in new[] { splitWords, chunks })
        {
            var maxReadings = source.Count == 0 ? 0 : source.Max(w => w.Count);
            for (var r = 1; r < maxReadings; r++)
            {
                views.Add(source.Select(w => w[Math.Min(r, w.Count - 1)]).ToList());
            }
        }

        var joined = new StringBuilder();
        foreach (var w in views[1])
        {
            joined.Append(w);
        }
        return new NormalisedPrompt(folded, views.Distinct(new WordListComparer()).ToList(), joined.ToString());
    }

    /// <summary>Words of a policy term, normalised the same way as prompts (first reading).</summary>
    public static IReadOnlyList<string> TermWords(string term) =>
        SplitWords(TextFolding.Fold(term), keepInnerPunctuation: false).Select(w => DeLeet(w)[0]).ToList();

    private static bool IsWordChar(char c) => c is (>= 'a' and <= 'z') or (>= '0' and <= '9');

    private static bool IsLeetSymbol(char c) => Leet.ContainsKey(c) && !char.IsAsciiDigit(c) || IOrL.Contains(c);

    /// <summary>
    /// Splits folded text into raw words. A leet symbol belongs to a word when a letter or digit follows it
    /// ("sh!t", "$ex", "@ss") or, for $ and @, when one precedes it ("a$$"); otherwise it is punctuation.
    /// </summary>
    private static List<string> SplitWords(string text, bool keepInnerPunctuation)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (IsWordChar(c) || (IsLeetSymbol(c) && InWord(text, i)))
            {
                current.Append(c);
            }
            else if (keepInnerPunctuation && !char.IsWhiteSpace(c))
            {
                // Punctuation inside a chunk is dropped without ending the word.
            }
            else if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }
        if (current.Length > 0)
        {
            words.Add(current.ToString());
        }
        return words;
    }

    private static bool InWord(string text, int i)
    {
        var next = i + 1 < text.Length ? text[i + 1] : ' ';
        var prev = i > 0 ? text[i - 1] : ' ';
        var c = text[i];
        var nextIsWord = IsWordChar(next) || (IsLeetSymbol(next) && i + 2 < text.Length && IsWordChar(text[i + 2]));
        if (nextIsWord && (IsWordChar(prev) || c is '$' or '@' or '|'))
        {
            return true;
        }
        return c is '$' or '@' && (IsWordChar(prev) || prev is '$' or '@');
    }

    /// <summary>
    /// Replaces leet characters by letters. Digits are read as letters only in words that also hold a
    /// letter ("k1ll", not "1984"). Returns every reading of the ambiguous characters, first reading first.
    /// </summary>
    private static List<string> DeLeet(string word)
    {
        var hasLetter = word.Any(c => c is >= 'a' and <= 'z');
        var readings = new List<StringBuilder> { new() };
        var ambiguous = 0;
        foreach (var c in word)
        {
            if (IOrL.Contains(c) && (hasLetter || c != '1'))
            {
                if (++ambiguous <= MaxAmbiguous)
                {
                    var copies = readings.Select(r => new StringBuilder(r.ToString()).Append('l')).ToList();
                    readings.ForEach(r => r.Append('i'));
                    readings.AddRange(copies);
                }
                else
                {
                    readings.ForEach(r => r.Append('i'));
                }
            }
            else if (Leet.TryGetValue(c, out var letter) && (hasLetter || !char.IsAsciiDigit(c)))
            {
                readings.ForEach(r => r.Append(letter));
            }
            else
            {
                readings.ForEach(r => r.Append(c));
            }
        }
        return readings.Select(r => r.ToString()).ToList();
    }

    private static List<string> JoinSpacedLetters(IReadOnlyList<string> words)
    {
        var result = new List<string>();
        var run = new StringBuilder();
        var runLength = 0;
        void Flush()
        {
            if (runLength >= 3)
            {
                result.Add(run.ToString());
            }
            else
            {
                var text = run.ToString();
                result.AddRange(text.Select(ch => ch.ToString()));
            }
            run.Clear();
            runLength = 0;
        }
        foreach (var w in words)
        {
            if (w.Length == 1)
            {
                run.Append(w);
                runLength++;
                continue;
            }
            Flush();
            result.Add(w);
        }
        Flush();
        return result;
    }

    private sealed class WordListComparer : IEqualityComparer<IReadOnlyList<string>>
    {
        public bool Equals(IReadOnlyList<string>? x, IReadOnlyList<string>? y) => x is not null && y is not null && x.SequenceEqual(y);

        public int GetHashCode(IReadOnlyList<string> obj)
        {
            var h = new HashCode();
            foreach (var w in obj)
            {
                h.Add(w);
            }
            return h.ToHashCode();
        }
    }
}
