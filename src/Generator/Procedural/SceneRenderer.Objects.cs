namespace Provenance.Generator.Procedural;

internal sealed partial class SceneRenderer
{
    /// <summary>An object at one instant, in pixels.</summary>
    private readonly record struct Placement(
        ShapeKind Shape, double X, double Y, double Rx, double Ry, int ColourY, int ColourU, int ColourV,
        int Opacity, bool Glow, int TexX, int TexY);

    private List<Placement> ObjectsAt(double t, CameraState camera)
    {
        var list = new List<Placement>(_scene.Objects.Count);
        foreach (var o in _scene.Objects)
        {
            var w = o.Speed * 0.9;
            var x = o.X * _width;
            var y = o.Y * _height;
            switch (o.Motion)
            {
                case ObjectMotion.Drift:
                    x += (o.Phase > Math.PI ? -1 : 1) * o.Speed * 0.04 * _width * t;
                    y += 0.01 * _height * Math.Sin(w * t + o.Phase);
                    break;
                case ObjectMotion.Bounce:
                    y -= Math.Abs(Math.Sin(2.5 * w * t + o.Phase)) * 0.22 * _height;
                    x += 0.02 * _width * Math.Sin(0.5 * w * t + o.Phase);
                    break;
                case ObjectMotion.Orbit:
                    x += 0.12 * _width * Math.Cos(w * t + o.Phase);
                    y += 0.08 * _height * Math.Sin(w * t + o.Phase);
                    break;
                case ObjectMotion.Rise:
                    y = WrapRange(y - o.Speed * 0.06 * _height * t, _height, o.Radius * _height);
                    x += 0.015 * _width * Math.Sin(w * t + o.Phase);
                    break;
                case ObjectMotion.Fall:
                    y = WrapRange(y + o.Speed * 0.06 * _height * t, _height, o.Radius * _height);
                    break;
                case ObjectMotion.Still:
                    break;
            }
            var scale = Math.Pow(camera.Zoom, o.Depth);
            var r = o.Radius * _height * scale;
            var rx = o.Shape == ShapeKind.Disc ? r : r * Math.Sqrt(o.Aspect);
            var ry = o.Shape == ShapeKind.Disc ? r : r / Math.Sqrt(o.Aspect);
            x = (x - camera.OffsetX * o.Depth * 0.6 - _width / 2.0) * scale + _width / 2.0;
            y = (y - camera.OffsetY * o.Depth * 0.3 - _height / 2.0) * scale + _height / 2.0;
            x = WrapRange(x, _width, rx * (o.Glow ? 2.2 : 1.1));
            var (cy, cu, cv) = ColourRamp.ToYuv(o.Colour);
            list.Add(new Placement(o.Shape, x, y, Math.Max(rx, 1.5), Math.Max(ry, 1.5), cy, cu, cv,
                (int)Math.Round(o.Opacity * 256), o.Glow, (int)(o.Phase * 1000), (int)(o.Depth * 1000)));
        }
        return list;
    }

    /// <summary>Wraps a coordinate into [-margin, extent + margin) so objects leaving one side re-enter the other.</summary>
    private static double WrapRange(double value, double extent, double margin)
    {
        var span = extent + 2 * margin;
        var r = (value + margin) % span;
        return (r < 0 ? r + span : r) - margin;
    }

    /// <summary>Coverage of the shape at a point (0..1) and a shading factor for its surface.</summary>
    private double Coverage(in Placement p, double px, double py, out double shade, out double halo)
    {
        var dx = (px - p.X) / p.Rx;
        var dy = (py - p.Y) / p.Ry;
        halo = 0;
        shade = 1;
        double coverage;
        var edge = 1.5 / Math.Min(p.Rx, p.Ry);
        switch (p.Shape)
        {
            case ShapeKind.Block:
                var m = Math.Max(Math.Abs(dx), Math.Abs(dy));
                coverage = Math.Clamp((1 - m) / edge, 0, 1);
                shade = 1 - 0.15 * dy;
                break;
            case ShapeKind.Cloud:
                var dc = dx * dx + dy * dy;
                coverage = Math.Clamp(1 - dc, 0, 1);
                coverage *= coverage;
                shade = 1.05 - 0.1 * dy;
                break;
            default:
                var d2 = dx * dx + dy * dy;
                var d = Math.Sqrt(d2);
                coverage = Math.Clamp((1 - d) / edge, 0, 1);
                shade = 1 - 0.3 * (dx + dy) * 0.7;
                if (p.Glow && d > 1 && d < 2.2)
                {
                    var f = 1 - (d - 1) / 1.2;
                    halo = f * f;
                }
                break;
        }
        return coverage;
    }

    private (int Left, int Right, int Top, int Bottom) Bounds(in Placement p, int scale)
    {
        var reach = p.Glow ? 2.2 : 1.0;
        var left = (int)Math.Floor((p.X - p.Rx * reach) / scale);
        var right = (int)Math.Ceiling((p.X + p.Rx * reach) / scale);
        var top = (int)Math.Floor((p.Y - p.Ry * reach) / scale);
        var bottom = (int)Math.Ceiling((p.Y + p.Ry * reach) / scale);
        return (Math.Max(0, left), Math.Min(_width / scale - 1, right), Math.Max(0, top), Math.Min(_height / scale - 1, bottom));
    }

    private void DrawObjectLuma(byte[] plane, in Placement p, int bandTop, int bandBottom)
    {
        var (left, right, top, bottom) = Bounds(p, 1);
        top = Math.Max(top, bandTop);
        bottom = Math.Min(bottom, bandBottom - 1);
        var tex = _texture.Texels;
        var mask = _texture.Mask;
        var size = _texture.Size;
        for (var y = top; y <= bottom; y++)
        {
            var row = y * _width;
            var texRow = ((y - (int)p.Y + p.TexY) & mask) * size;
            for (var x = left; x <= right; x++)
            {
                var coverage = Coverage(p, x + 0.5, y + 0.5, out var shade, out var halo);
                var bg = plane[row + x];
                if (halo > 0)
                {
                    plane[row + x] = (byte)Math.Min(235, bg + (int)(halo * 0.6 * (235 - bg)));
                    continue;
                }
                if (coverage <= 0)
                {
                    continue;
                }
                var texel = tex[texRow + ((x - (int)p.X + p.TexX) & mask)];
                var surface = p.Shape == ShapeKind.Cloud ? 0.85 + 0.3 * texel / 255.0 : 0.8 + 0.4 * texel / 255.0;
                var colour = Math.Clamp((int)(p.ColourY * shade * surface), 16, 235);
                var alpha = (int)(coverage * p.Opacity);
                if (p.Shape == ShapeKind.Cloud)
                {
                    alpha = alpha * texel >> 8;
                }
                plane[row + x] = (byte)(bg + ((colour - bg) * alpha >> 8));
            }
        }
    }

    private void DrawObjectChroma(byte[] buffer, int uOffset, int chromaLength, in Placement p, int bandTop, int bandBottom)
    {
        var (left, right, top, bottom) = Bounds(p, 2);
        top = Math.Max(top, bandTop);
        bottom = Math.Min(bottom, bandBottom - 1);
        var cw = _width / 2;
        var vOffset = uOffset + chromaLength;
        for (var cy = top; cy <= bottom; cy++)
        {
            for (var cx = left; cx <= right; cx++)
            {
                var coverage = Coverage(p, 2 * cx + 1, 2 * cy + 1, out _, out var halo);
                if (halo > 0 || coverage <= 0)
                {
                    continue;
                }
                var alpha = (int)(coverage * p.Opacity);
                if (p.Shape == ShapeKind.Cloud)
                {
                    alpha /= 2;
                }
                var i = cy * cw + cx;
                var u = buffer[uOffset + i];
                var v = buffer[vOffset + i];
                buffer[uOffset + i] = (byte)(u + ((p.ColourU - u) * alpha >> 8));
                buffer[vOffset + i] = (byte)(v + ((p.ColourV - v) * alpha >> 8));
            }
        }
    }
}
