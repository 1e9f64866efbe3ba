using System.Numerics;

namespace Provenance.Media.Fingerprints;

/// <summary>
/// A 64-bit DCT perceptual hash of a frame (the pHash construction): the frame's luma reduced to 32x32,
/// a 2-D DCT-II, the 8x8 lowest-frequency coefficients without the DC term compared with their median.
/// Re-encoding, rescaling and mild colour changes flip few bits; different content differs in about half.
/// </summary>
public static class PerceptualHash
{
    public const int InputSize = 32;
    private const int Low = 8;
    private static readonly double[,] Cosines = BuildCosines();

    /// <summary>Hash of a 32x32 8-bit luma block (row-major).</summary>
    public static ulong Compute(ReadOnlySpan<byte> luma32x32)
    {
        if (luma32x32.Length != InputSize * InputSize)
        {
            throw new ArgumentException($"expected {InputSize}x{InputSize} = {InputSize * InputSize} bytes, got {luma32x32.Length}", nameof(luma32x32));
        }
        // Separable DCT: rows first (only the 8 lowest frequencies are needed), then columns.
        var rows = new double[InputSize, Low];
        for (var y = 0; y < InputSize; y++)
        {
            for (var u = 0; u < Low; u++)
            {
                double sum = 0;
                for (var x = 0; x < InputSize; x++)
                {
                    sum += luma32x32[y * InputSize + x] * Cosines[u, x];
                }
                rows[y, u] = sum;
            }
        }
        Span<double> coefficients = stackalloc double[Low * Low];
        for (var v = 0; v < Low; v++)
        {
            for (var u = 0; u < Low; u++)
            {
                double sum = 0;
                for (var y = 0; y < InputSize; y++)
                {
                    sum += rows[y, u] * Cosines[v, y];
                }
                coefficients[v * Low + u] = sum;
            }
        }
        Span<double> sorted = stackalloc double[Low * Low - 1];
        coefficients[1..].CopyTo(sorted);
        sorted.Sort();
        var median = (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        ulong hash = 0;
        for (var i = 0; i < Low * Low; i++)
        {
            if (i != 0 && coefficients[i] > median)
            {
                hash |= 1UL << i;
            }
        }
        return hash;
    }

    /// <summary>Hash of a luma plane of any size: area-averaged down to 32x32 first.</summary>
    public static ulong ComputeFromLuma(ReadOnlySpan<byte> luma, int width, int height, int stride)
    {
        Span<byte> small = stackalloc byte[InputSize * InputSize];
        for (var by = 0; by < InputSize; by++)
        {
            var y0 = by * height / InputSize;
            var y1 = Math.Max(y0 + 1, (by + 1) * height / InputSize);
            for (var bx = 0; bx < InputSize; bx++)
            {
                var x0 = bx * width / InputSize;
                var x1 = Math.Max(x0 + 1, (bx + 1) * width / InputSize);
                long sum = 0;
                for (var y = y0; y < y1; y++)
                {
                    var row = luma.Slice(y * stride + x0, x1 - x0);
                    foreach (var b in row)
                    {
                        sum += b;
                    }
                }
                small[by * InputSize + bx] = (byte)(sum / ((long)(y1 - y0) * (x1 - x0)));
            }
        }
        return Compute(small);
    }

    public static int Distance(ulong a, ulong b) => BitOperations.PopCount(a ^ b);

    private static double[,] BuildCosines()
    {
        var c = new double[Low, InputSize];
        for (var u = 0; u < Low; u++)
        {
            for (var x = 0; x < InputSize; x++)
            {
                c[u, x] = Math.Cos((2 * x + 1) * u * Math.PI / (2 * InputSize));
            }
        }
        return c;
    }
}
