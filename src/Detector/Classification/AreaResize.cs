namespace Provenance.Detector.Classification;

/// <summary>
/// Resizes an rgb24 image to a model's input as area averages (each output pixel is the mean of the input area it
/// covers, fractional edges weighted), the same filter the baseline was trained with (PIL's BOX, ffmpeg's
/// <c>flags=area</c>), and writes normalised planar floats: value = (pixel / 255 − mean) / std.
/// </summary>
public static class AreaResize
{
    /// <summary>Writes one image as CHW (or HWC when <paramref name="planar"/> is false) floats into <paramref name="destination"/>.</summary>
    public static void ToTensor(RgbImage image, int width, int height, ReadOnlySpan<float> mean, ReadOnlySpan<float> std,
        Span<float> destination, bool planar = true, bool bgr = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (destination.Length < width * height * 3 || mean.Length < 3 || std.Length < 3)
        {
            throw new ArgumentException("destination, mean and std must hold three channels");
        }
        var xTaps = Taps(image.Width, width);
        var yTaps = Taps(image.Height, height);
        var src = image.Pixels.Span;
        // Horizontal pass: every input row to the output width, three channels interleaved.
        var rows = new float[image.Height * width * 3];
        for (var y = 0; y < image.Height; y++)
        {
            var srcRow = src.Slice(y * image.Width * 3, image.Width * 3);
            var dstRow = rows.AsSpan(y * width * 3, width * 3);
            for (var x = 0; x < width; x++)
            {
                var (first, weights) = xTaps[x];
                float r = 0, g = 0, b = 0;
                for (var k = 0; k < weights.Length; k++)
                {
                    var p = (first + k) * 3;
                    var w = weights[k];
                    r += srcRow[p] * w;
                    g += srcRow[p + 1] * w;
                    b += srcRow[p + 2] * w;
                }
                dstRow[x * 3] = r;
                dstRow[x * 3 + 1] = g;
                dstRow[x * 3 + 2] = b;
            }
        }
        // Vertical pass and normalisation.
        Span<float> scale = [1f / (255f * std[0]), 1f / (255f * std[1]), 1f / (255f * std[2])];
        Span<float> offset = [mean[0] / std[0], mean[1] / std[1], mean[2] / std[2]];
        var plane = width * height;
        for (var y = 0; y < height; y++)
        {
            var (first, weights) = yTaps[y];
            for (var x = 0; x < width; x++)
            {
                for (var c = 0; c < 3; c++)
                {
                    float v = 0;
                    for (var k = 0; k < weights.Length; k++)
                    {
                        v += rows[((first + k) * width + x) * 3 + c] * weights[k];
                    }
                    var value = v * scale[c] - offset[c];
                    var channel = bgr ? 2 - c : c;
                    if (planar)
                    {
                        destination[channel * plane + y * width + x] = value;
                    }
                    else
                    {
                        destination[(y * width + x) * 3 + channel] = value;
                    }
                }
            }
        }
    }

    /// <summary>
    /// For each output position, the first input index and the weights of the inputs it averages. Shrinking: the
    /// covered span [o·s, (o+1)·s) with fractional edges. Enlarging: linear interpolation between pixel centres.
    /// </summary>
    internal static (int First, float[] Weights)[] Taps(int inSize, int outSize)
    {
        var taps = new (int, float[])[outSize];
        var s = (double)inSize / outSize;
        for (var o = 0; o < outSize; o++)
        {
            if (s >= 1)
            {
                var start = o * s;
                var end = Math.Min((o + 1) * s, inSize);
                var first = (int)Math.Floor(start);
                var last = Math.Min((int)Math.Ceiling(end) - 1, inSize - 1);
                var weights = new float[last - first + 1];
                for (var i = first; i <= last; i++)
                {
                    var overlap = Math.Min(end, i + 1) - Math.Max(start, i);
                    weights[i - first] = (float)(Math.Max(overlap, 0) / (end - start));
                }
                taps[o] = (first, weights);
            }
            else
            {
                var centre = Math.Clamp((o + 0.5) * s - 0.5, 0, inSize - 1);
                var left = Math.Min((int)Math.Floor(centre), inSize - 1);
                var frac = (float)(centre - left);
                taps[o] = left + 1 < inSize ? (left, [1 - frac, frac]) : (left, [1f]);
            }
        }
        return taps;
    }
}
