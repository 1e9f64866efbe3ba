using Provenance.Generator.Frames;

namespace Provenance.Generator.Onnx;

/// <summary>Model output (planar RGB floats) to a yuv420p frame of another size: bilinear resize, BT.709 limited range.</summary>
internal static class FrameConversion
{
    public static void RgbPlanarToYuv(ReadOnlySpan<float> rgb, int srcWidth, int srcHeight, FrameRange range, YuvFrame frame)
    {
        var plane = srcWidth * srcHeight;
        var (offset, scale) = range == FrameRange.MinusOneToOne ? (1f, 127.5f) : (0f, 255f);
        var w = frame.Width;
        var h = frame.Height;
        var y = frame.Y;
        var u = frame.U;
        var v = frame.V;
        var sx = (float)srcWidth / w;
        var sy = (float)srcHeight / h;
        Span<float> px = stackalloc float[3];
        for (var row = 0; row < h; row++)
        {
            var fy = Math.Clamp((row + 0.5f) * sy - 0.5f, 0, srcHeight - 1);
            var y0 = (int)fy;
            var y1 = Math.Min(y0 + 1, srcHeight - 1);
            var ty = fy - y0;
            for (var col = 0; col < w; col++)
            {
                var fx = Math.Clamp((col + 0.5f) * sx - 0.5f, 0, srcWidth - 1);
                var x0 = (int)fx;
                var x1 = Math.Min(x0 + 1, srcWidth - 1);
                var tx = fx - x0;
                for (var c = 0; c < 3; c++)
                {
                    var p = rgb.Slice(c * plane, plane);
                    var top = p[y0 * srcWidth + x0] + (p[y0 * srcWidth + x1] - p[y0 * srcWidth + x0]) * tx;
                    var bottom = p[y1 * srcWidth + x0] + (p[y1 * srcWidth + x1] - p[y1 * srcWidth + x0]) * tx;
                    px[c] = Math.Clamp((top + (bottom - top) * ty + offset) * scale / 255f, 0f, 1f);
                }
                y[row * w + col] = (byte)MathF.Round(16 + 219 * (0.2126f * px[0] + 0.7152f * px[1] + 0.0722f * px[2]));
                if ((row & 1) == 0 && (col & 1) == 0)
                {
                    var i = (row / 2) * (w / 2) + col / 2;
                    u[i] = (byte)MathF.Round(128 + 224 * (-0.1146f * px[0] - 0.3854f * px[1] + 0.5f * px[2]));
                    v[i] = (byte)MathF.Round(128 + 224 * (0.5f * px[0] - 0.4542f * px[1] - 0.0458f * px[2]));
                }
            }
        }
    }
}
