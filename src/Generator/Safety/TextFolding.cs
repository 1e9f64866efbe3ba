using System.Text;

namespace Provenance.Generator.Safety;

/// <summary>
/// Folds text to plain lower-case ASCII letters and digits where a character is, or looks like, one:
/// compatibility forms (fullwidth, mathematical alphanumerics, circled, squared, superscript, small
/// capitals, ligatures: the NFKC cases that matter for words), Latin letters with diacritics, Cyrillic,
/// Greek and Armenian homoglyphs, and combining marks and zero-width characters (removed). Written out
/// as tables because the service runs with invariant globalization, where <c>string.Normalize</c> does
/// not decompose.
/// </summary>
public static class TextFolding
{
    private static readonly Dictionary<int, string> Map = BuildMap();

    /// <summary>Folds <paramref name="text"/>; characters outside the tables pass through lower-cased.</summary>
    public static string Fold(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            int cp = text[i];
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                cp = char.ConvertToUtf32(text[i], text[i + 1]);
                i++;
            }
            if (IsInvisible(cp))
            {
                continue;
            }
            if (Map.TryGetValue(cp, out var folded))
            {
                sb.Append(folded);
            }
            else if (cp < 0x10000)
            {
                sb.Append(char.ToLowerInvariant((char)cp));
            }
            else
            {
                sb.Append(char.ConvertFromUtf32(cp));
            }
        }
        return sb.ToString();
    }

    /// <summary>Zero-width and formatting characters, variation selectors and combining marks.</summary>
    private static bool IsInvisible(int cp) =>
        cp is (>= 0x0300 and <= 0x036F) or (>= 0x1AB0 and <= 0x1AFF) or (>= 0x1DC0 and <= 0x1DFF) or (>= 0x20D0 and <= 0x20FF)
            or (>= 0xFE20 and <= 0xFE2F) or 0x00AD or 0x034F or 0x061C or 0x115F or 0x1160 or 0x17B4 or 0x17B5 or 0x180E
            or (>= 0x200B and <= 0x200F) or (>= 0x202A and <= 0x202E) or (>= 0x2060 and <= 0x2064) or (>= 0x2066 and <= 0x206F)
            or 0x3164 or (>= 0xFE00 and <= 0xFE0F) or 0xFEFF or 0xFFA0 or (>= 0xE0000 and <= 0xE007F) or (>= 0xE0100 and <= 0xE01EF);

    private static Dictionary<int, string> BuildMap()
    {
        var map = new Dictionary<int, string>();
        void Range(int start, string letters)
        {
            for (var i = 0; i < letters.Length; i++)
            {
                if (letters[i] != '_')
                {
                    map[start + i] = letters[i].ToString();
                }
            }
        }
        void Pairs(string pairs)
        {
            // "xy" pairs separated by spaces: character, then its folded form (which may be longer).
            foreach (var pair in pairs.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var cp = char.ConvertToUtf32(pair, 0);
                var skip = char.IsSurrogatePair(pair, 0) ? 2 : 1;
                map[cp] = pair[skip..];
            }
        }

        const string lower = "abcdefghijklmnopqrstuvwxyz";
        // Fullwidth ASCII.
        for (var cp = 0xFF01; cp <= 0xFF5E; cp++)
        {
            map[cp] = char.ToLowerInvariant((char)(cp - 0xFEE0)).ToString();
        }
        // Mathematical alphanumeric symbols: 13 alphabets of A-Z a-z, then Greek, then 5 sets of digits.
        for (var cp = 0x1D400; cp <= 0x1D6A3; cp++)
        {
            map[cp] = lower[(cp - 0x1D400) % 52 % 26].ToString();
        }
        for (var cp = 0x1D7CE; cp <= 0x1D7FF; cp++)
        {
            map[cp] = ((cp - 0x1D7CE) % 10).ToString();
        }
        // Circled, parenthesised, squared and regional-indicator letters; circled digits.
        Range(0x24B6, lower);
        Range(0x24D0, lower);
        Range(0x249C, lower);
        Range(0x1F130, lower);
        Range(0x1F150, lower);
        Range(0x1F170, lower);
        Range(0x1F1E6, lower);
        Range(0x2460, "123456789");
        Range(0x2776, "123456789");
        Range(0x2780, "123456789");
        Range(0x278A, "123456789");
        Pairs("⓪0 ⓿0 ⁰0 ¹1 ²2 ³3 ⁴4 ⁵5 ⁶6 ⁷7 ⁸8 ⁹9 ₀0 ₁1 ₂2 ₃3 ₄4 ₅5 ₆6 ₇7 ₈8 ₉9 ⁱi ⁿn ᵃa ᵇb ᶜc ᵈd ᵉe ᶠf ᵍg ʰh ʲj ᵏk ˡl ᵐm ᵒo ᵖp ʳr ˢs ᵗt ᵘu ᵛv ʷw ˣx ʸy ᶻz");
        // Latin-1 Supplement and Latin Extended-A without their marks.
        Range(0x00C0, "aaaaaa_ceeeeiiiidnoooooxouuuuy__aaaaaa_ceeeeiiiidnooooo_ouuuuy_y");
        Pairs("Ææae Þth ßss æae þth");
        Range(0x0100, "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii__jjkkkllllll__llnnnnnnnnnoooooo__rrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs");
        Pairs("Ĳij ĳij Œoe œoe Ŀl ŀl");
        // Small capitals and other Latin look-alikes.
        Pairs("ᴀa ʙb ᴄc ᴅd ᴇe ꜰf ɢg ʜh ɪi ᴊj ᴋk ʟl ᴍm ɴn ᴏo ᴘp ʀr ꜱs ᴛt ᴜu ᴠv ᴡw ʏy ᴢz ıi ȷj ɑa ɡg ɩi ɪi ʋu ℓl ℮e ⅰi ⅱii ⅲiii ⅴv ⅹx ℎh ℊg ℋh ℌh ℍh ℐi ℑi ℒl ℕn ℙp ℚq ℛr ℜr ℝr ℤz ℬb ℭc ℯe ℰe ℱf ℳm ℴo ₐa ₑe ₒo ₓx ₔe ₕh ₖk ₗl ₘm ₙn ₚp ₛs ₜt");
        // Ligatures (NFKC expansions).
        Pairs("ﬀff ﬁfi ﬂfl ﬃffi ﬄffl ﬅst ﬆst ǆdz ǅdz Ǆdz ǉlj ǈlj Ǉlj ǌnj ǋnj Ǌnj");
        // Cyrillic homoglyphs.
        Pairs("аa бb вb гr дd еe ёe жx зz иu йu кk лn мm нh оo пn рp сc тt уy фf хx цu чy шw щw ъb ыbi ьb эe юio яr ѕs іi їi јj ԁd ԛq ԝw ӏl ғf үy ұy һh ԍg ҫc қk ҡk ңh");
        Pairs("АA БB ВB ГR ДD ЕE ЁE ЗZ ИU КK МM НH ОO ПN РP СC ТT УY ХX ЅS ІI ЇI ЈJ ҮY Һh Ԍg");
        // Greek homoglyphs.
        Pairs("αa βb γy δd εe ζz ηn θo ιi κk λl μu νv ξe οo πn ρp σo ςc τt υu φf χx ψw ωw ϲc ϳj ϵe άa έe ήn ίi όo ύu ώw");
        Pairs("ΑA ΒB ΓR ΔD ΕE ΖZ ΗH ΘO ΙI ΚK ΛL ΜM ΝN ΞE ΟO ΠN ΡP ΣE ΤT ΥY ΦF ΧX ΨW ΩO ϹC");
        // Armenian and Cherokee look-alikes commonly used in spoofing.
        Pairs("օo սu հh ոn ոn ցg քp ճa զq Ꭺa Ᏼb Ꮯc Ꭰd Ꭼe Ꮐg Ꮋh Ꭵi Ꭻj Ꮶk Ꮮl Ꮇm Ꮲp Ꮪs Ꭲt Ꮩv Ꮃw Ꮓz");
        foreach (var key in map.Keys.ToList())
        {
            map[key] = map[key].ToLowerInvariant();
        }
        return map;
    }
}
