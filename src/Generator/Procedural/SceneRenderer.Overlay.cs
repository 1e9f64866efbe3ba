using Provenance.Generator.Frames;

namespace Provenance.Generator.Procedural;

internal sealed partial class SceneRenderer
{
    /// <summary>One particle: start position (fractions of the frame), speed factor, phase and size in pixels.</summary>
    private readonly record struct Particle(ParticleKind Kind, double X, double Y, double Speed, double Phase, int Size, int ColourY, int ColourU, int ColourV);

    private Particle[] CreateParticles(SceneDescription scene, DeterministicRandom random)
    {
        var areaScale = Math.Clamp(_width * (double)_height / (1920.0 * 1080.0), 0.1, 1.0);
        var unit = Math.Max(1, _height / 540);
        var list = new List<Particle>();
        foreach (var field in scene.Particles)
        {
            var (cy, cu, cv) = ColourRamp.ToYuv(field.Colour);
            var count = Math.Max(4, (int)(field.Count * areaScale));
            for (var i = 0; i < count; i++)
            {
                var size = field.Kind switch
                {
                    ParticleKind.Stars => unit * (random.NextDouble() < 0.85 ? 1 : 2),
                    ParticleKind.Rain => unit,
                    ParticleKind.Birds => unit * (3 + random.Next(3)),
                    _ => unit * (1 + random.Next(3)),
                };
                var y0 = field.Kind == ParticleKind.Stars ? random.NextDouble() * _scene.Horizon : random.NextDouble();
                list.Add(new Particle(field.Kind, random.NextDouble(), y0, field.Speed * (0.6 + 0.8 * random.NextDouble()),
                    random.NextDouble() * Math.Tau, size, cy, cu, cv));
            }
        }
        return [.. list];
    }

    private void DrawParticles(YuvFrame frame, double t, CameraState camera)
    {
        foreach (var p in _particles)
        {
            double x = p.X * _width - camera.OffsetX * 0.3, y = p.Y * _height;
            int w = p.Size, h = p.Size, colour = p.ColourY, alpha = 256;
            switch (p.Kind)
            {
                case ParticleKind.Stars:
                    alpha = (int)(256 * (0.55 + 0.45 * Math.Sin(3 * t * p.Speed + p.Phase)));
                    break;
                case ParticleKind.Snow:
                    y += 0.08 * _height * p.Speed * t;
                    x += 0.01 * _width * Math.Sin(t * p.Speed + p.Phase);
                    break;
                case ParticleKind.Rain:
                    y += 0.9 * _height * p.Speed * t;
                    x += 0.1 * _height * p.Speed * t;
                    h = p.Size * 10;
                    alpha = 150;
                    break;
                case ParticleKind.Sparks:
                    y -= 0.07 * _height * p.Speed * t;
                    x += 0.01 * _width * Math.Sin(2 * t * p.Speed + p.Phase);
                    alpha = (int)(256 * (0.6 + 0.4 * Math.Sin(5 * t * p.Speed + p.Phase)));
                    break;
                case ParticleKind.Leaves:
                    y += 0.06 * _height * p.Speed * t;
                    x += 0.03 * _width * Math.Sin(1.3 * t * p.Speed + p.Phase);
                    w = p.Size * 2;
                    break;
                case ParticleKind.Birds:
                    x += 0.08 * _width * p.Speed * t;
                    y = p.Y * _height * 0.6 + 0.02 * _height * Math.Sin(t + p.Phase);
                    w = p.Size * 2;
                    h = Math.Max(1, (int)(p.Size * (0.5 + 0.5 * Math.Abs(Math.Sin(8 * t + p.Phase)))));
                    break;
            }
            FillRect(frame, (int)WrapRange(x, _width, w), (int)WrapRange(y, _height, h), w, h, colour, p.ColourU, p.ColourV, alpha);
        }
    }

    private static void FillRect(YuvFrame frame, int left, int top, int w, int h, int colourY, int colourU, int colourV, int alpha)
    {
        var x0 = Math.Max(0, left);
        var x1 = Math.Min(frame.Width, left + w);
        var y0 = Math.Max(0, top);
        var y1 = Math.Min(frame.Height, top + h);
        if (x0 >= x1 || y0 >= y1)
        {
            return;
        }
        var buffer = frame.Buffer;
        for (var y = y0; y < y1; y++)
        {
            var row = y * frame.Width;
            for (var x = x0; x < x1; x++)
            {
                var bg = buffer[row + x];
                buffer[row + x] = (byte)(bg + ((colourY - bg) * alpha >> 8));
            }
        }
        var cw = frame.ChromaWidth;
        var uOffset = frame.LumaLength;
        var vOffset = uOffset + frame.ChromaLength;
        for (var cy = y0 / 2; cy < (y1 + 1) / 2; cy++)
        {
            for (var cx = x0 / 2; cx < (x1 + 1) / 2; cx++)
            {
                var i = cy * cw + cx;
                buffer[uOffset + i] = (byte)(buffer[uOffset + i] + ((colourU - buffer[uOffset + i]) * alpha >> 9));
                buffer[vOffset + i] = (byte)(buffer[vOffset + i] + ((colourV - buffer[vOffset + i]) * alpha >> 9));
            }
        }
    }

    /// <summary>The prompt's quoted text, centred in the lower third, fading in over the first half second.</summary>
    private void DrawText(YuvFrame frame, double t)
    {
        var text = _scene.Text;
        if (string.IsNullOrEmpty(text))
        {
            return;
        }
        var advance = BitmapFont.GlyphWidth + 1;
        var scale = Math.Max(1, Math.Min(_height / 70, (int)(_width * 0.9 / (text.Length * advance))));
        var textWidth = text.Length * advance * scale;
        var left = (_width - textWidth) / 2;
        var top = (int)(_height * 0.78);
        var alpha = (int)(256 * Math.Clamp(t / 0.5, 0, 1));
        if (alpha == 0)
        {
            return;
        }
        for (var i = 0; i < text.Length; i++)
        {
            for (var gy = -1; gy <= BitmapFont.GlyphHeight; gy++)
            {
                for (var gx = -1; gx <= BitmapFont.GlyphWidth; gx++)
                {
                    var ink = BitmapFont.Ink(text[i], gx, gy);
                    var outline = !ink && NearInk(text[i], gx, gy);
                    if (!ink && !outline)
                    {
                        continue;
                    }
                    FillRect(frame, left + (i * advance + gx) * scale, top + gy * scale, scale, scale, ink ? 235 : 16, 128, 128, alpha);
                }
            }
        }
    }

    private static bool NearInk(char c, int x, int y)
    {
        for (var dy = -1; dy <= 1; dy++)
        {
            for (var dx = -1; dx <= 1; dx++)
            {
                if (BitmapFont.Ink(c, x + dx, y + dy))
                {
                    return true;
                }
            }
        }
        return false;
    }
}
