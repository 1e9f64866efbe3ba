namespace Provenance.Generator.Procedural;

internal sealed partial class SceneRenderer
{
    /// <summary>Where one row of the frame samples the texture, and how it is coloured.</summary>
    private readonly record struct RowGeometry(int TexRowBase, int UStart, int UStep, ColourRamp Ramp, int Haze, int Gain);

    /// <summary>
    /// Geometry of luma row <paramref name="y"/>: rows above the horizon see the far sky layer (flat, slow
    /// parallax); rows below see a ground plane in perspective (depth 1/dy, so texture compresses and hazes
    /// toward the horizon and the camera's forward travel scrolls it).
    /// </summary>
    private RowGeometry Row(int y, CameraState camera)
    {
        var size = _texture.Size;
        var l = _scene.Lighting;
        double v, uStart, step, haze, gain;
        if (y < _horizonRow)
        {
            var up = 1 - y / (double)_horizonRow;
            step = 1.0 / camera.Zoom;
            v = (y - _height / 2.0) * step + 0.3 * camera.OffsetY + size / 4.0;
            uStart = -_width / 2.0 * step + 0.3 * camera.OffsetX;
            haze = l.HorizonGlow * (1 - up) * (1 - up);
            gain = 1 - 0.25 * up;
        }
        else
        {
            var dy = (y - _horizonRow + 1) / (double)(_height - _horizonRow);
            var depth = Math.Min(1 / dy, 40);
            step = 0.9 * depth / camera.Zoom;
            v = camera.Forward + depth * 0.35 * _height + camera.OffsetY + size / 2.0;
            uStart = -_width / 2.0 * step + camera.OffsetX;
            haze = Math.Clamp((depth - 1) / 12, 0, 1) * 0.95;
            gain = 0.85 + 0.15 * dy;
        }
        haze += l.Fog * (1 - haze);
        var row = (int)Math.Floor(Wrap(v, size));
        return new RowGeometry(
            row * size,
            (int)Math.Round(Wrap(uStart, size) * One),
            (int)Math.Round(step * One),
            y < _horizonRow ? _sky : _ground,
            (int)Math.Round(Math.Clamp(haze, 0, 1) * 256),
            (int)Math.Round(gain * 256));
    }

    private void RenderLumaRows(byte[] plane, int top, int bottom, CameraState camera, int frameGain)
    {
        var tex = _texture.Texels;
        var mask = _texture.Mask;
        var colGain = _columnGain;
        for (var y = top; y < bottom; y++)
        {
            var g = Row(y, camera);
            var ramp = g.Ramp.Y;
            var keep = 256 - g.Haze;
            var hazeTerm = _haze.Y * g.Haze;
            var gain = g.Gain * frameGain >> 8;
            var u = g.UStart;
            var step = g.UStep;
            var rowBase = g.TexRowBase;
            var dst = y * _width;
            for (var x = 0; x < _width; x++)
            {
                var t = tex[rowBase + ((u >> Fixed) & mask)];
                u += step;
                var value = ((ramp[t] * keep + hazeTerm) >> 8) * gain >> 8;
                value = value * colGain[x] >> 8;
                plane[dst + x] = (byte)(value < 16 ? 16 : value > 235 ? 235 : value);
            }
        }
    }

    private void RenderChromaRows(byte[] buffer, int uOffset, int chromaLength, int top, int bottom, CameraState camera)
    {
        var tex = _texture.Texels;
        var mask = _texture.Mask;
        var cw = _width / 2;
        var vOffset = uOffset + chromaLength;
        for (var cy = top; cy < bottom; cy++)
        {
            var g = Row(2 * cy, camera);
            var rampU = g.Ramp.U;
            var rampV = g.Ramp.V;
            var keep = 256 - g.Haze;
            var hazeU = _haze.U * g.Haze;
            var hazeV = _haze.V * g.Haze;
            var u = g.UStart;
            var step = 2 * g.UStep;
            var rowBase = g.TexRowBase;
            var dst = cy * cw;
            for (var x = 0; x < cw; x++)
            {
                var t = tex[rowBase + ((u >> Fixed) & mask)];
                u += step;
                buffer[uOffset + dst + x] = (byte)((rampU[t] * keep + hazeU) >> 8);
                buffer[vOffset + dst + x] = (byte)((rampV[t] * keep + hazeV) >> 8);
            }
        }
    }

    private static double Wrap(double value, int size)
    {
        var r = value % size;
        return r < 0 ? r + size : r;
    }
}
