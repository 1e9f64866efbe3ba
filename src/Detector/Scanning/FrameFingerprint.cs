using Provenance.Detector.Classification;
using Provenance.Media.Fingerprints;

namespace Provenance.Detector.Scanning;

/// <summary>
/// The generator's perceptual fingerprint (<see cref="PerceptualHash"/>, what the stamping pipeline records for one
/// frame per second) of an already-decoded rgb24 frame, without a second decode: the frame is area-averaged to 32x32
/// in R, G and B, each block becomes BT.601 limited-range luma (the plane the generator hashes; luma is linear in R, G,
/// B, so averaging first equals averaging the luma), and the 32x32 luma is hashed.
/// </summary>
public static class FrameFingerprint
{
    /// <summary>Frames whose 32x32 luma varies less than this (standard deviation) carry no picture to recognise: a
    /// black or flat frame hashes alike in every clip.</summary>
    public const double MinLumaDeviation = 2.0;

    /// <summary>The fingerprint of the frame, or null when it is nearly uniform (see <see cref="MinLumaDeviation"/>).</summary>
    public static ulong? Compute(RgbImage image)
    {
        Span<byte> luma = stackalloc byte[PerceptualHash.InputSize * PerceptualHash.InputSize];
        Reduce(image, luma);
        return Deviation(luma) < MinLumaDeviation ? null : PerceptualHash.Compute(luma);
    }

    /// <summary>32x32 BT.601 luma of the frame by area averaging, on the block grid <see cref="PerceptualHash.ComputeFromLuma"/> uses.</summary>
    public static void Reduce(RgbImage image, Span<byte> luma32x32)
    {
        const int n = PerceptualHash.InputSize;
        if (luma32x32.Length != n * n)
        {
            throw new ArgumentException($"expected {n * n} bytes", nameof(luma32x32));
        }
        var px = image.Pixels.Span;
        int width = image.Width, height = image.Height;
        for (var by = 0; by < n; by++)
        {
            var y0 = by * height / n;
            var y1 = Math.Max(y0 + 1, (by + 1) * height / n);
            for (var bx = 0; bx < n; bx++)
            {
                var x0 = bx * width / n;
                var x1 = Math.Max(x0 + 1, (bx + 1) * width / n);
                long r = 0, g = 0, b = 0;
                for (var y = y0; y < y1; y++)
                {
                    var row = px.Slice((y * width + x0) * 3, (x1 - x0) * 3);
                    for (var i = 0; i < row.Length; i += 3)
                    {
                        r += row[i];
                        g += row[i + 1];
                        b += row[i + 2];
                    }
                }
                double count = (long)(y1 - y0) * (x1 - x0);
                var value = 16.0 + (65.738 * r + 129.057 * g + 25.064 * b) / (256.0 * count);
                luma32x32[by * n + bx] = (byte)Math.Clamp((int)(value + 0.5), 0, 255);
            }
        }
    }

    private static double Deviation(ReadOnlySpan<byte> values)
    {
        double sum = 0, squares = 0;
        foreach (var v in values)
        {
            sum += v;
            squares += (double)v * v;
        }
        var mean = sum / values.Length;
        return Math.Sqrt(Math.Max(0, squares / values.Length - mean * mean));
    }
}
