using Provenance.Generator.Frames;

namespace Provenance.Generator.Procedural;

/// <summary>
/// Renders the frames of one clip from a <see cref="SceneDescription"/>: a far sky layer and a
/// perspective ground plane textured with fractal noise, moved by the camera with parallax, lit per row
/// and column, then objects, particles and on-screen text on top. Pixel work is integer table look-ups
/// over bands of rows run in parallel; every pixel's value depends only on (scene, frame index), so the
/// output is identical whatever the thread count.
/// </summary>
internal sealed partial class SceneRenderer
{
    private const int BandRows = 32;
    private const int Fixed = 16;
    private const int One = 1 << Fixed;

    private readonly SceneDescription _scene;
    private readonly FractalTexture _texture;
    private readonly ColourRamp _sky;
    private readonly ColourRamp _ground;
    private readonly (int Y, int U, int V) _haze;
    private readonly int _width;
    private readonly int _height;
    private readonly int _fps;
    private readonly double _duration;
    private readonly int _horizonRow;
    private readonly int[] _columnGain;
    private readonly Particle[] _particles;
    private readonly ulong _flickerSeed;
    private readonly ParallelOptions _parallel;

    public SceneRenderer(SceneDescription scene, int width, int height, int fps, double durationSeconds, string prompt, ulong seed, int maxThreads = -1)
    {
        _scene = scene;
        _width = width;
        _height = height;
        _fps = fps;
        _duration = Math.Max(durationSeconds, 1.0 / fps);
        var size = Math.Clamp((int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(width, height)), 256, 2048);
        _texture = FractalTexture.Create(size, DeterministicRandom.FromPrompt(prompt, seed, "texture"));
        _sky = new ColourRamp(scene.SkyPalette);
        _ground = new ColourRamp(scene.GroundPalette);
        _haze = ColourRamp.ToYuv(Rgb.Lerp(scene.GroundPalette[3], scene.SkyPalette[4], 0.5));
        _horizonRow = Math.Clamp((int)(scene.Horizon * height) & ~1, 2, height - 2);
        _columnGain = BuildColumnGain(width, scene.Lighting.Vignette);
        _particles = CreateParticles(scene, DeterministicRandom.FromPrompt(prompt, seed, "particles"));
        _flickerSeed = DeterministicRandom.FromPrompt(prompt, seed, "flicker").NextUInt64();
        _parallel = new ParallelOptions { MaxDegreeOfParallelism = maxThreads };
    }

    /// <summary>Draws frame <paramref name="index"/> into <paramref name="frame"/>.</summary>
    public void Render(int index, YuvFrame frame)
    {
        if (frame.Width != _width || frame.Height != _height)
        {
            throw new ArgumentException($"frame is {frame.Width}x{frame.Height}, renderer is {_width}x{_height}", nameof(frame));
        }
        var t = index / (double)_fps;
        var camera = CameraAt(t);
        var gain = FrameGain(index, t);
        var objects = ObjectsAt(t, camera);
        var y = frame.Buffer;
        var lumaBands = (_height + BandRows - 1) / BandRows;
        Parallel.For(0, lumaBands, _parallel, band =>
        {
            var top = band * BandRows;
            var bottom = Math.Min(_height, top + BandRows);
            RenderLumaRows(y, top, bottom, camera, gain);
            foreach (var o in objects)
            {
                DrawObjectLuma(y, o, top, bottom);
            }
        });
        var chromaHeight = _height / 2;
        var chromaBands = (chromaHeight + BandRows - 1) / BandRows;
        Parallel.For(0, chromaBands, _parallel, band =>
        {
            var top = band * BandRows;
            var bottom = Math.Min(chromaHeight, top + BandRows);
            RenderChromaRows(frame.Buffer, frame.LumaLength, frame.ChromaLength, top, bottom, camera);
            foreach (var o in objects)
            {
                DrawObjectChroma(frame.Buffer, frame.LumaLength, frame.ChromaLength, o, top, bottom);
            }
        });
        DrawParticles(frame, t, camera);
        DrawText(frame, t);
    }

    /// <summary>Camera state at time t: texel offset of the view centre, zoom and forward travel over the ground.</summary>
    private readonly record struct CameraState(double OffsetX, double OffsetY, double Zoom, double Forward);

    private CameraState CameraAt(double t)
    {
        var v = 0.05 * _width * _scene.CameraSpeed;
        var progress = Math.Clamp(t / _duration, 0, 1);
        return _scene.Camera switch
        {
            CameraMove.PanLeft => new(-v * t, 0, 1.0, 0),
            CameraMove.PanRight => new(v * t, 0, 1.0, 0),
            CameraMove.TiltUp => new(0, -0.5 * v * t, 1.0, 0),
            CameraMove.TiltDown => new(0, 0.5 * v * t, 1.0, 0),
            CameraMove.ZoomIn => new(0, 0, 1.0 + 0.4 * progress, 0.3 * v * t),
            CameraMove.ZoomOut => new(0, 0, 1.4 - 0.4 * progress, -0.3 * v * t),
            CameraMove.Orbit => new(0.1 * _width * Math.Cos(t * 0.5 * _scene.CameraSpeed) + 0.3 * v * t, 0.05 * _height * Math.Sin(t * 0.5 * _scene.CameraSpeed), 1.1, 0),
            CameraMove.Handheld => new(6 * Math.Sin(t * 2.1) + 4 * Math.Sin(t * 5.3 + 1), 5 * Math.Sin(t * 1.7 + 2) + 3 * Math.Sin(t * 4.9), 1.05 + 0.01 * Math.Sin(t * 0.9), 0.2 * v * t),
            CameraMove.Static => new(0, 0, 1.0, 0),
            CameraMove.Flyover => new(0.2 * v * t, 0, 1.0, 2.0 * v * t),
            _ => new(0.4 * v * t, 0.05 * v * Math.Sin(t * 0.3), 1.0 + 0.05 * progress, 0.5 * v * t),
        };
    }

    /// <summary>Global brightness of the frame in 8.8 fixed point: base, drift over time, flicker.</summary>
    private int FrameGain(int index, double t)
    {
        var l = _scene.Lighting;
        var g = l.Brightness * Math.Clamp(1 + l.BrightnessDriftPerSecond * t, 0.3, 1.5);
        if (l.Flicker > 0)
        {
            var noise = new DeterministicRandom(_flickerSeed ^ (ulong)index).NextDouble();
            g *= 1 - l.Flicker * noise * noise;
        }
        return (int)Math.Round(Math.Clamp(g, 0.1, 2.0) * 256);
    }

    private static int[] BuildColumnGain(int width, double vignette)
    {
        var gain = new int[width];
        for (var x = 0; x < width; x++)
        {
            var d = (x + 0.5) / width * 2 - 1;
            gain[x] = (int)Math.Round(256 * (1 - vignette * 0.6 * d * d));
        }
        return gain;
    }
}
