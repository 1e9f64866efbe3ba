using System.Text;
using System.Text.RegularExpressions;

namespace Provenance.Generator.Procedural;

/// <summary>
/// Turns a prompt into a <see cref="SceneDescription"/>: theme words pick the palette, colour words tint it,
/// object and particle words populate the scene, motion and camera words set how it moves, lighting words
/// set the light, and quoted text becomes on-screen text. Unknown prompts still get a distinct scene: the
/// prompt's hash picks a palette and layout, so two prompts never share a clip by accident.
/// </summary>
internal static partial class PromptSceneParser
{
    private const int MaxObjects = 24;

    public static SceneDescription Parse(string prompt, ulong seed)
    {
        var random = DeterministicRandom.FromPrompt(prompt, seed, "scene");
        var text = ExtractQuotedText(prompt);
        // Quoted text is shown on screen; it does not describe the scene.
        var words = Tokenise(QuotedPattern().Replace(prompt, " "));
        var matched = new List<string>();

        var (ground, skyTheme) = ChoosePalettes(words, random, matched);
        var tint = FindTint(words);
        if (tint is { } t)
        {
            ground = ground.Select(c => Rgb.Lerp(c, t, 0.3)).ToArray();
        }
        // A second theme word ("the ocean at sunset") colours the sky; otherwise the sky is a lighter ground ramp.
        var sky = (skyTheme ?? ground).Select(c => Rgb.Lerp(c, new Rgb(235, 240, 255), skyTheme is null ? 0.25 : 0.1)).ToArray();
        if (tint is { } skyTint && skyTheme is not null)
        {
            sky = [.. sky.Select(c => Rgb.Lerp(c, skyTint, 0.2))];
        }

        var speed = 1.0;
        var camera = CameraMove.Drift;
        var lighting = new SceneLighting(Brightness: 1.0, Fog: 0, Vignette: 0.2, Flicker: 0, BrightnessDriftPerSecond: 0, HorizonGlow: 0.15);
        var objects = new List<SceneObject>();
        var particles = new List<ParticleField>();

        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            var pair = i + 1 < words.Count ? $"{word} {words[i + 1]}" : null;
            if (pair is not null && PromptVocabulary.Cameras.TryGetValue(pair, out var move2))
            {
                camera = move2;
                matched.Add(pair);
                i++;
                continue;
            }
            if (PromptVocabulary.Cameras.TryGetValue(word, out var move))
            {
                camera = move;
                matched.Add(word);
            }
            if (PromptVocabulary.Speeds.TryGetValue(word, out var s))
            {
                speed *= s;
                matched.Add(word);
            }
            if (PromptVocabulary.Lighting.TryGetValue(word, out var light))
            {
                lighting = light(lighting);
                matched.Add(word);
            }
            if (PromptVocabulary.Particles.TryGetValue(word, out var particle) && particles.All(p => p.Kind != particle.Kind))
            {
                var colour = i > 0 && PromptVocabulary.Colours.TryGetValue(words[i - 1], out var pc) ? pc : particle.Colour;
                particles.Add(new ParticleField(particle.Kind, particle.Count, colour, 1.0));
                matched.Add(word);
            }
            if (PromptVocabulary.Objects.TryGetValue(word, out var template) && objects.Count < MaxObjects)
            {
                var count = CountBefore(words, i, word);
                var colour = ColourBefore(words, i) ?? template.Colour;
                for (var k = 0; k < count && objects.Count < MaxObjects; k++)
                {
                    objects.Add(Place(word, template, colour, k, count, random));
                }
                matched.Add(word);
            }
        }

        if (objects.Count == 0 && particles.Count == 0)
        {
            // Abstract prompts still get something in frame: a few soft forms derived from the prompt's hash.
            var n = 2 + random.Next(3);
            for (var k = 0; k < n; k++)
            {
                var template = new ObjectTemplate(k % 2 == 0 ? ShapeKind.Disc : ShapeKind.Cloud, ground[3 + random.Next(2)], ObjectMotion.Drift, 0.06 + 0.1 * random.NextDouble(), 0.5, 0.35, Aspect: 1 + random.NextDouble(), Opacity: 0.6);
                objects.Add(Place("form", template, template.Colour, k, n, random));
            }
        }

        var speeds = objects.Select(o => o with { Speed = o.Speed * speed }).ToList();
        var fields = particles.Select(p => p with { Speed = p.Speed * speed }).ToList();
        var horizon = 0.35 + 0.3 * random.NextDouble();
        return new SceneDescription(ground, sky, horizon, speeds, fields, camera, speed, lighting, text, matched);
    }

    /// <summary>Lower-case words of letters and digits; quotes and punctuation split words.</summary>
    public static List<string> Tokenise(string prompt)
    {
        var words = new List<string>();
        foreach (Match m in WordPattern().Matches(prompt.ToLowerInvariant()))
        {
            words.Add(m.Value);
        }
        return words;
    }

    /// <summary>The first double-quoted passage ("..." or “...”), trimmed to 40 characters, or null.</summary>
    public static string? ExtractQuotedText(string prompt)
    {
        var m = QuotedPattern().Match(prompt);
        if (!m.Success)
        {
            return null;
        }
        var value = m.Groups["t"].Value.Trim();
        if (value.Length == 0)
        {
            return null;
        }
        var sb = new StringBuilder();
        foreach (var ch in value.ToUpperInvariant())
        {
            sb.Append(BitmapFont.HasGlyph(ch) ? ch : ' ');
        }
        var text = sb.ToString().Trim();
        return text.Length == 0 ? null : text.Length > 40 ? text[..40].TrimEnd() : text;
    }

    private static (Rgb[] Ground, Rgb[]? Sky) ChoosePalettes(List<string> words, DeterministicRandom random, List<string> matched)
    {
        Rgb[]? first = null;
        foreach (var w in words)
        {
            if (PromptVocabulary.Palettes.TryGetValue(w, out var ramp) && !ReferenceEquals(ramp, first))
            {
                matched.Add(w);
                if (first is not null)
                {
                    return (first, ramp);
                }
                first = ramp;
            }
        }
        if (first is not null)
        {
            return (first, null);
        }
        // No theme word: a ramp from dark to light around a hue the prompt's hash chooses.
        var hue = random.NextDouble();
        var saturation = 0.35 + 0.4 * random.NextDouble();
        return ([FromHsv(hue, saturation, 0.12), FromHsv(hue + 0.04, saturation, 0.35), FromHsv(hue + 0.08, saturation, 0.6),
            FromHsv(hue + 0.12, saturation * 0.8, 0.8), FromHsv(hue + 0.16, saturation * 0.4, 0.95)], null);
    }

    private static Rgb? FindTint(List<string> words)
    {
        for (var i = 0; i < words.Count; i++)
        {
            // A colour word that does not describe a following object tints the whole scene.
            if (PromptVocabulary.Colours.TryGetValue(words[i], out var c)
                && !(i + 1 < words.Count && (PromptVocabulary.Objects.ContainsKey(words[i + 1]) || PromptVocabulary.Particles.ContainsKey(words[i + 1]))))
            {
                return c;
            }
        }
        return null;
    }

    private static Rgb? ColourBefore(List<string> words, int index)
    {
        for (var j = index - 1; j >= Math.Max(0, index - 3); j--)
        {
            if (PromptVocabulary.Colours.TryGetValue(words[j], out var c))
            {
                return c;
            }
        }
        return null;
    }

    private static int CountBefore(List<string> words, int index, string word)
    {
        for (var j = index - 1; j >= Math.Max(0, index - 3); j--)
        {
            if (PromptVocabulary.Counts.TryGetValue(words[j], out var n))
            {
                return n;
            }
            if (int.TryParse(words[j], out var digits) && digits > 0)
            {
                return Math.Min(digits, 12);
            }
        }
        return word.EndsWith('s') && word != "bus" ? 3 : 1;
    }

    private static SceneObject Place(string word, ObjectTemplate t, Rgb colour, int k, int count, DeterministicRandom random)
    {
        var x = (k + 0.5) / count + (random.NextDouble() - 0.5) * 0.6 / count;
        var y = t.Y + (random.NextDouble() - 0.5) * t.Spread;
        var radius = t.Radius * (0.8 + 0.4 * random.NextDouble()) * (count > 4 ? 0.7 : 1.0);
        var depth = 0.3 + 0.7 * random.NextDouble();
        var jitter = Rgb.Lerp(colour, new Rgb(random.NextByte(), random.NextByte(), random.NextByte()), 0.12);
        return new SceneObject(word, t.Shape, jitter, x, y, radius, t.Aspect, t.Motion, 0.6 + 0.8 * random.NextDouble(),
            random.NextDouble() * Math.Tau, depth, t.Opacity, t.Glow);
    }

    private static Rgb FromHsv(double h, double s, double v)
    {
        h = (h % 1 + 1) % 1 * 6;
        var i = (int)h;
        var f = h - i;
        double p = v * (1 - s), q = v * (1 - s * f), u = v * (1 - s * (1 - f));
        var (r, g, b) = i switch { 0 => (v, u, p), 1 => (q, v, p), 2 => (p, v, u), 3 => (p, q, v), 4 => (u, p, v), _ => (v, p, q) };
        return new Rgb((byte)(r * 255), (byte)(g * 255), (byte)(b * 255));
    }

    [GeneratedRegex(@"[a-z0-9]+")]
    private static partial Regex WordPattern();

    [GeneratedRegex("[\"“”](?<t>[^\"“”]{1,200})[\"“”]")]
    private static partial Regex QuotedPattern();
}
