namespace Provenance.Generator.Procedural;

/// <summary>An RGB colour, 0..255 per channel.</summary>
internal readonly record struct Rgb(byte R, byte G, byte B)
{
    public static Rgb Lerp(Rgb a, Rgb b, double t) => new(
        (byte)Math.Clamp(Math.Round(a.R + (b.R - a.R) * t), 0, 255),
        (byte)Math.Clamp(Math.Round(a.G + (b.G - a.G) * t), 0, 255),
        (byte)Math.Clamp(Math.Round(a.B + (b.B - a.B) * t), 0, 255));
}

/// <summary>Kinds of shape the renderer can draw over the background.</summary>
internal enum ShapeKind
{
    Disc,
    Ellipse,
    Block,
    Cloud,
}

/// <summary>Kinds of small moving points scattered over the frame.</summary>
internal enum ParticleKind
{
    Stars,
    Snow,
    Rain,
    Sparks,
    Leaves,
    Birds,
}

/// <summary>How an object moves over the clip.</summary>
internal enum ObjectMotion
{
    Drift,
    Bounce,
    Orbit,
    Rise,
    Fall,
    Still,
}

/// <summary>How the virtual camera moves over the background layers.</summary>
internal enum CameraMove
{
    Drift,
    PanLeft,
    PanRight,
    TiltUp,
    TiltDown,
    ZoomIn,
    ZoomOut,
    Orbit,
    Handheld,
    Static,
    Flyover,
}

/// <summary>One object in the scene; positions and sizes are fractions of the frame height/width.</summary>
internal sealed record SceneObject(
    string Word,
    ShapeKind Shape,
    Rgb Colour,
    double X,
    double Y,
    double Radius,
    double Aspect,
    ObjectMotion Motion,
    double Speed,
    double Phase,
    double Depth,
    double Opacity,
    bool Glow);

/// <summary>A cloud of particles of one kind.</summary>
internal sealed record ParticleField(ParticleKind Kind, int Count, Rgb Colour, double Speed);

/// <summary>Lighting of the scene over time.</summary>
internal sealed record SceneLighting(
    double Brightness,
    double Fog,
    double Vignette,
    double Flicker,
    double BrightnessDriftPerSecond,
    double HorizonGlow);

/// <summary>
/// Everything the prompt decided about a clip: palette (sky and ground ramps), objects, particles, camera,
/// lighting and the on-screen text. Fully determined by (prompt, seed).
/// </summary>
internal sealed record SceneDescription(
    IReadOnlyList<Rgb> GroundPalette,
    IReadOnlyList<Rgb> SkyPalette,
    double Horizon,
    IReadOnlyList<SceneObject> Objects,
    IReadOnlyList<ParticleField> Particles,
    CameraMove Camera,
    double CameraSpeed,
    SceneLighting Lighting,
    string? Text,
    IReadOnlyList<string> MatchedWords);
