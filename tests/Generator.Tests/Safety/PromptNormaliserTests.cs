using Provenance.Generator.Safety;

namespace Provenance.Generator.Tests.Safety;

public sealed class PromptNormaliserTests
{
    [Theory]
    [InlineData("ＦＵＬＬＷＩＤＴＨ", "fullwidth")]
    [InlineData("Сyrillic Теxt", "cyrillic text")]
    [InlineData("Ηοmοglyph αlpha", "homoglyph alpha")]
    [InlineData("café naïve Ångström", "cafe naive angstrom")]
    [InlineData("ﬁne ﬂow", "fine flow")]
    [InlineData("z\u200Be\u200Dr\uFEFFo", "zero")]
    [InlineData("e\u0301clair", "eclair")]
    [InlineData("𝐛𝐨𝐥𝐝 𝑖𝑡𝑎𝑙𝑖𝑐", "bold italic")]
    [InlineData("ⓒⓘⓡⓒⓛⓔⓓ", "circled")]
    [InlineData("ꜱᴍᴀʟʟ ᴄᴀᴘꜱ", "small caps")]
    [InlineData("Straße", "strasse")]
    public void Folding_ReducesLookAlikesToPlainLetters(string input, string expected) =>
        Assert.Equal(expected, TextFolding.Fold(input));

    [Theory]
    [InlineData("k1ll", "kill")]
    [InlineData("h4t3", "hate")]
    [InlineData("$h!t", "shit")]
    [InlineData("@ss", "ass")]
    [InlineData("k.i.l.l", "kill")]
    [InlineData("k i l l", "kill")]
    [InlineData("k-i-l-l", "kill")]
    [InlineData("k_i_l_l", "kill")]
    public void Obfuscated_WordsAppearInSomeView(string input, string word)
    {
        var prompt = PromptNormaliser.Normalise(input);
        Assert.Contains(prompt.Views, view => view.Contains(word));
    }

    [Fact]
    public void NumbersWithoutLetters_StayNumbers()
    {
        var prompt = PromptNormaliser.Normalise("the year 1984, 3 cats");
        Assert.Contains("1984", prompt.Views[0]);
        Assert.Contains("3", prompt.Views[0]);
    }

    [Fact]
    public void TrailingPunctuation_IsNotReadAsALetter()
    {
        var prompt = PromptNormaliser.Normalise("wow, kill! now");
        Assert.Contains("kill", prompt.Views[0]);
    }

    [Theory]
    [InlineData("scunthorpe", "cunt")]
    [InlineData("therapist", "rapist")]
    [InlineData("sussex", "sex")]
    [InlineData("cocktail", "cock")]
    [InlineData("as", "ass")]
    [InlineData("skilled", "kill")]
    [InlineData("raccoon", "coon")]
    [InlineData("niger", "nigger")]
    public void Terms_MatchWholeWordsOnly(string innocent, string term)
    {
        var compiled = PolicyTerm.Compile(term)!;
        Assert.False(compiled.Matches(PromptNormaliser.Normalise($"a view of {innocent} today")));
        Assert.True(compiled.Matches(PromptNormaliser.Normalise($"a view of {term} today")));
    }

    [Fact]
    public void RepeatedLetters_StillMatch() =>
        Assert.True(PolicyTerm.Compile("kill")!.Matches(PromptNormaliser.Normalise("kiiiilllll")));

    [Fact]
    public void PrefixTerms_MatchInflections()
    {
        var term = PolicyTerm.Compile("behead*")!;
        Assert.True(term.Matches(PromptNormaliser.Normalise("beheading")));
        Assert.True(term.Matches(PromptNormaliser.Normalise("beheaded")));
        Assert.False(term.Matches(PromptNormaliser.Normalise("behemoth")));
    }

    [Fact]
    public void MultiWordTerms_MatchCompoundsAndLongTermsHiddenBySpaces()
    {
        var term = PolicyTerm.Compile("darth vader")!;
        Assert.True(term.Matches(PromptNormaliser.Normalise("DarthVader")));
        Assert.True(term.Matches(PromptNormaliser.Normalise("dar th va der")));
        Assert.False(term.Matches(PromptNormaliser.Normalise("darth the cat and vader the dog")));
    }
}
