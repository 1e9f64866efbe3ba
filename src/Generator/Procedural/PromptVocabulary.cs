namespace Provenance.Generator.Procedural;

/// <summary>The words the procedural backend understands, and what each one contributes to a scene.</summary>
internal static class PromptVocabulary
{
    /// <summary>Palette ramps (dark to light) by theme word.</summary>
    public static readonly IReadOnlyDictionary<string, Rgb[]> Palettes = Build(new (string[] Words, Rgb[] Ramp)[]
    {
        (["sunset", "dusk", "evening", "twilight"], [new(40, 20, 60), new(120, 40, 80), new(220, 90, 50), new(250, 170, 80), new(255, 220, 150)]),
        (["ocean", "sea", "water", "lake", "river", "beach", "waves", "underwater", "coast"], [new(5, 30, 60), new(10, 70, 120), new(30, 120, 170), new(90, 180, 210), new(200, 235, 245)]),
        (["forest", "jungle", "trees", "meadow", "grass", "garden", "field", "park"], [new(10, 30, 10), new(30, 70, 25), new(60, 110, 40), new(120, 160, 70), new(200, 220, 150)]),
        (["desert", "sand", "dunes", "canyon", "savanna"], [new(90, 50, 20), new(160, 100, 50), new(210, 150, 90), new(235, 200, 140), new(250, 235, 200)]),
        (["night", "space", "galaxy", "nebula", "cosmos", "midnight"], [new(2, 2, 10), new(10, 10, 40), new(30, 30, 80), new(80, 70, 140), new(200, 190, 255)]),
        (["snow", "winter", "ice", "arctic", "glacier", "frozen"], [new(60, 70, 90), new(130, 150, 170), new(190, 205, 220), new(225, 235, 245), new(250, 252, 255)]),
        (["fire", "lava", "volcano", "flames", "inferno", "embers"], [new(30, 5, 0), new(120, 20, 5), new(210, 70, 10), new(250, 150, 30), new(255, 230, 120)]),
        (["city", "neon", "cyberpunk", "street", "downtown", "skyline"], [new(10, 5, 20), new(60, 10, 80), new(200, 30, 150), new(30, 180, 220), new(230, 230, 255)]),
        (["autumn", "fall", "harvest", "october"], [new(50, 20, 5), new(130, 50, 10), new(200, 100, 20), new(230, 170, 60), new(250, 220, 150)]),
        (["dawn", "morning", "sunrise"], [new(60, 60, 100), new(150, 110, 140), new(240, 170, 140), new(255, 210, 170), new(255, 245, 220)]),
        (["mountain", "mountains", "rock", "rocks", "stone", "cliff", "cliffs", "hills"], [new(30, 30, 35), new(80, 75, 70), new(130, 120, 110), new(180, 175, 165), new(235, 235, 240)]),
        (["cave", "dungeon", "tunnel", "underground"], [new(5, 5, 5), new(30, 25, 20), new(70, 55, 40), new(120, 100, 70), new(180, 160, 120)]),
    });

    /// <summary>Colour words that tint the palette and colour the objects they precede.</summary>
    public static readonly IReadOnlyDictionary<string, Rgb> Colours = new Dictionary<string, Rgb>
    {
        ["red"] = new(220, 40, 40), ["crimson"] = new(180, 20, 50), ["orange"] = new(245, 140, 30),
        ["yellow"] = new(245, 220, 50), ["gold"] = new(230, 180, 50), ["golden"] = new(230, 180, 50),
        ["green"] = new(50, 180, 70), ["emerald"] = new(30, 160, 100), ["teal"] = new(30, 150, 150),
        ["blue"] = new(40, 90, 220), ["cyan"] = new(40, 210, 230), ["navy"] = new(20, 30, 100),
        ["purple"] = new(140, 50, 190), ["violet"] = new(150, 80, 220), ["pink"] = new(240, 120, 180),
        ["magenta"] = new(220, 40, 200), ["white"] = new(245, 245, 245), ["silver"] = new(190, 195, 205),
        ["grey"] = new(128, 128, 128), ["gray"] = new(128, 128, 128), ["black"] = new(20, 20, 25),
        ["brown"] = new(120, 70, 30),
    };

    /// <summary>Object words: shape, default colour, motion, size (fraction of height), placement and glow.</summary>
    public static readonly IReadOnlyDictionary<string, ObjectTemplate> Objects = BuildObjects(new (string[] Words, ObjectTemplate Template)[]
    {
        (["sun"], new(ShapeKind.Disc, new(255, 220, 120), ObjectMotion.Drift, 0.11, 0.25, 0.1, Glow: true)),
        (["moon"], new(ShapeKind.Disc, new(230, 230, 215), ObjectMotion.Drift, 0.08, 0.2, 0.1, Glow: true)),
        (["planet", "planets", "world"], new(ShapeKind.Disc, new(120, 160, 220), ObjectMotion.Orbit, 0.22, 0.45, 0.3)),
        (["ball", "balls", "orb", "orbs", "sphere", "spheres", "balloon", "balloons"], new(ShapeKind.Disc, new(220, 60, 60), ObjectMotion.Bounce, 0.07, 0.6, 0.3)),
        (["bubble", "bubbles", "jellyfish"], new(ShapeKind.Disc, new(200, 230, 255), ObjectMotion.Rise, 0.05, 0.7, 0.3, Opacity: 0.45)),
        (["fish", "whale", "shark", "dolphin"], new(ShapeKind.Ellipse, new(200, 150, 60), ObjectMotion.Drift, 0.05, 0.6, 0.2, Aspect: 2.4)),
        (["boat", "boats", "ship", "ships", "sailboat"], new(ShapeKind.Block, new(150, 90, 50), ObjectMotion.Drift, 0.06, 0.72, 0.05, Aspect: 2.8)),
        (["car", "cars", "truck", "bus", "train"], new(ShapeKind.Block, new(200, 40, 40), ObjectMotion.Drift, 0.05, 0.82, 0.04, Aspect: 2.2)),
        (["building", "buildings", "tower", "towers", "skyscraper", "skyscrapers", "castle"], new(ShapeKind.Block, new(70, 70, 90), ObjectMotion.Still, 0.2, 0.62, 0.1, Aspect: 0.35)),
        (["tree", "trees", "bush", "pine"], new(ShapeKind.Ellipse, new(30, 90, 35), ObjectMotion.Still, 0.14, 0.6, 0.1, Aspect: 0.7)),
        (["cloud", "clouds", "smoke", "mist"], new(ShapeKind.Cloud, new(235, 235, 240), ObjectMotion.Drift, 0.12, 0.2, 0.15, Aspect: 2.5, Opacity: 0.7)),
        (["robot", "robots", "person", "figure", "dancer", "astronaut"], new(ShapeKind.Ellipse, new(180, 180, 190), ObjectMotion.Bounce, 0.12, 0.6, 0.1, Aspect: 0.45)),
        (["cat", "dog", "fox", "horse", "deer", "animal"], new(ShapeKind.Ellipse, new(160, 100, 50), ObjectMotion.Drift, 0.07, 0.78, 0.05, Aspect: 1.7)),
        (["butterfly", "butterflies", "bee", "bees"], new(ShapeKind.Ellipse, new(250, 180, 40), ObjectMotion.Orbit, 0.025, 0.5, 0.3, Aspect: 1.6)),
        (["lantern", "lanterns", "lamp", "lamps", "candle", "candles"], new(ShapeKind.Disc, new(255, 190, 90), ObjectMotion.Rise, 0.03, 0.6, 0.3, Glow: true)),
        (["crystal", "crystals", "gem", "gems", "diamond"], new(ShapeKind.Block, new(150, 220, 255), ObjectMotion.Orbit, 0.05, 0.5, 0.2, Aspect: 0.8)),
    });

    /// <summary>Particle words.</summary>
    public static readonly IReadOnlyDictionary<string, (ParticleKind Kind, Rgb Colour, int Count)> Particles = new Dictionary<string, (ParticleKind, Rgb, int)>
    {
        ["stars"] = (ParticleKind.Stars, new(255, 255, 240), 220), ["star"] = (ParticleKind.Stars, new(255, 255, 240), 160),
        ["starry"] = (ParticleKind.Stars, new(255, 255, 240), 260), ["snowing"] = (ParticleKind.Snow, new(250, 250, 255), 400),
        ["snowfall"] = (ParticleKind.Snow, new(250, 250, 255), 400), ["snowflakes"] = (ParticleKind.Snow, new(250, 250, 255), 350),
        ["rain"] = (ParticleKind.Rain, new(180, 190, 210), 500), ["raining"] = (ParticleKind.Rain, new(180, 190, 210), 500),
        ["rainy"] = (ParticleKind.Rain, new(180, 190, 210), 400), ["storm"] = (ParticleKind.Rain, new(160, 170, 190), 700),
        ["sparks"] = (ParticleKind.Sparks, new(255, 190, 80), 200), ["fireflies"] = (ParticleKind.Sparks, new(220, 255, 120), 120),
        ["embers"] = (ParticleKind.Sparks, new(255, 120, 40), 220), ["glitter"] = (ParticleKind.Sparks, new(255, 240, 200), 300),
        ["leaves"] = (ParticleKind.Leaves, new(210, 110, 30), 150), ["petals"] = (ParticleKind.Leaves, new(250, 170, 200), 150),
        ["birds"] = (ParticleKind.Birds, new(30, 30, 35), 24), ["bird"] = (ParticleKind.Birds, new(30, 30, 35), 6),
        ["flock"] = (ParticleKind.Birds, new(30, 30, 35), 40), ["bats"] = (ParticleKind.Birds, new(15, 10, 20), 30),
    };

    /// <summary>Motion words scale the speed of everything that moves.</summary>
    public static readonly IReadOnlyDictionary<string, double> Speeds = new Dictionary<string, double>
    {
        ["slow"] = 0.5, ["slowly"] = 0.5, ["gentle"] = 0.6, ["gently"] = 0.6, ["calm"] = 0.5, ["peaceful"] = 0.5,
        ["drifting"] = 0.7, ["floating"] = 0.7, ["serene"] = 0.5, ["lazy"] = 0.4, ["timelapse"] = 2.5,
        ["fast"] = 2.0, ["quick"] = 1.8, ["quickly"] = 1.8, ["rapid"] = 2.2, ["racing"] = 2.5, ["chaotic"] = 2.2,
        ["frantic"] = 2.5, ["energetic"] = 1.8, ["speeding"] = 2.5, ["rushing"] = 2.2,
    };

    /// <summary>Camera moves; two-word phrases are matched first.</summary>
    public static readonly IReadOnlyDictionary<string, CameraMove> Cameras = new Dictionary<string, CameraMove>
    {
        ["pan left"] = CameraMove.PanLeft, ["panning left"] = CameraMove.PanLeft, ["pan right"] = CameraMove.PanRight,
        ["panning right"] = CameraMove.PanRight, ["panning"] = CameraMove.PanRight, ["pan"] = CameraMove.PanRight,
        ["tilt up"] = CameraMove.TiltUp, ["tilt down"] = CameraMove.TiltDown, ["zoom in"] = CameraMove.ZoomIn,
        ["zooming in"] = CameraMove.ZoomIn, ["push in"] = CameraMove.ZoomIn, ["dolly in"] = CameraMove.ZoomIn,
        ["zoom"] = CameraMove.ZoomIn, ["zoom out"] = CameraMove.ZoomOut, ["zooming out"] = CameraMove.ZoomOut,
        ["pull back"] = CameraMove.ZoomOut, ["dolly out"] = CameraMove.ZoomOut, ["orbit"] = CameraMove.Orbit,
        ["orbiting"] = CameraMove.Orbit, ["circling"] = CameraMove.Orbit, ["handheld"] = CameraMove.Handheld,
        ["shaky"] = CameraMove.Handheld, ["static"] = CameraMove.Static, ["still"] = CameraMove.Static,
        ["tripod"] = CameraMove.Static, ["aerial"] = CameraMove.Flyover, ["drone"] = CameraMove.Flyover,
        ["flyover"] = CameraMove.Flyover, ["flythrough"] = CameraMove.Flyover,
    };

    /// <summary>Lighting words: each adjusts one or more lighting parameters.</summary>
    public static readonly IReadOnlyDictionary<string, Func<SceneLighting, SceneLighting>> Lighting = new Dictionary<string, Func<SceneLighting, SceneLighting>>
    {
        ["night"] = l => l with { Brightness = l.Brightness * 0.55 }, ["dark"] = l => l with { Brightness = l.Brightness * 0.6 },
        ["moonlit"] = l => l with { Brightness = l.Brightness * 0.6, HorizonGlow = 0.2 }, ["gloomy"] = l => l with { Brightness = l.Brightness * 0.7, Fog = 0.2 },
        ["bright"] = l => l with { Brightness = l.Brightness * 1.15 }, ["sunny"] = l => l with { Brightness = l.Brightness * 1.15 },
        ["noon"] = l => l with { Brightness = l.Brightness * 1.1 }, ["fog"] = l => l with { Fog = 0.45 },
        ["foggy"] = l => l with { Fog = 0.45 }, ["misty"] = l => l with { Fog = 0.35 }, ["hazy"] = l => l with { Fog = 0.3 },
        ["haze"] = l => l with { Fog = 0.3 }, ["spotlight"] = l => l with { Vignette = 0.75 }, ["vignette"] = l => l with { Vignette = 0.6 },
        ["cinematic"] = l => l with { Vignette = 0.45 }, ["dramatic"] = l => l with { Vignette = 0.55, Brightness = l.Brightness * 0.9 },
        ["moody"] = l => l with { Vignette = 0.5, Brightness = l.Brightness * 0.8 }, ["backlit"] = l => l with { HorizonGlow = 0.6 },
        ["glowing"] = l => l with { HorizonGlow = 0.4 }, ["flicker"] = l => l with { Flicker = 0.15 },
        ["flickering"] = l => l with { Flicker = 0.15 }, ["lightning"] = l => l with { Flicker = 0.35 },
        ["candlelit"] = l => l with { Flicker = 0.1, Brightness = l.Brightness * 0.7, Vignette = 0.5 },
        ["sunrise"] = l => l with { BrightnessDriftPerSecond = 0.02, HorizonGlow = 0.5 },
        ["dawn"] = l => l with { BrightnessDriftPerSecond = 0.015, HorizonGlow = 0.4 },
        ["sunset"] = l => l with { BrightnessDriftPerSecond = -0.012, HorizonGlow = 0.55 },
        ["dusk"] = l => l with { BrightnessDriftPerSecond = -0.015, HorizonGlow = 0.35 },
    };

    /// <summary>Number words for "three balloons" and the like.</summary>
    public static readonly IReadOnlyDictionary<string, int> Counts = new Dictionary<string, int>
    {
        ["a"] = 1, ["an"] = 1, ["one"] = 1, ["single"] = 1, ["lone"] = 1, ["two"] = 2, ["pair"] = 2, ["twin"] = 2,
        ["three"] = 3, ["four"] = 4, ["five"] = 5, ["six"] = 6, ["seven"] = 7, ["eight"] = 8, ["several"] = 4,
        ["some"] = 3, ["few"] = 3, ["many"] = 8, ["dozens"] = 12, ["lots"] = 8, ["countless"] = 12,
    };

    private static Dictionary<string, Rgb[]> Build((string[] Words, Rgb[] Ramp)[] entries)
    {
        var map = new Dictionary<string, Rgb[]>();
        foreach (var (words, ramp) in entries)
        {
            foreach (var w in words)
            {
                map[w] = ramp;
            }
        }
        return map;
    }

    private static Dictionary<string, ObjectTemplate> BuildObjects((string[] Words, ObjectTemplate Template)[] entries)
    {
        var map = new Dictionary<string, ObjectTemplate>();
        foreach (var (words, template) in entries)
        {
            foreach (var w in words)
            {
                map[w] = template;
            }
        }
        return map;
    }
}

/// <summary>Defaults for an object word: Y is the vertical placement (0 top, 1 bottom), Spread its random range.</summary>
internal sealed record ObjectTemplate(
    ShapeKind Shape,
    Rgb Colour,
    ObjectMotion Motion,
    double Radius,
    double Y,
    double Spread,
    double Aspect = 1.0,
    double Opacity = 1.0,
    bool Glow = false);
