namespace Provenance.Generator.Procedural;

/// <summary>
/// A square, tileable 8-bit texture of fractal value noise: octaves of bilinearly interpolated random
/// lattices whose amplitude halves as the lattice frequency doubles, so the amplitude spectrum falls
/// roughly as 1/f (power as 1/f^2), the statistics of natural photographs. Built once per clip; frames
/// sample it with integer coordinates (wrapping with a mask), so per-pixel work stays a table look-up.
/// </summary>
internal sealed class FractalTexture
{
    private FractalTexture(int size, byte[] texels)
    {
        Size = size;
        Mask = size - 1;
        Texels = texels;
    }

    /// <summary>Side length, a power of two.</summary>
    public int Size { get; }

    public int Mask { get; }

    /// <summary>Row-major texels, <see cref="Size"/> x <see cref="Size"/>.</summary>
    public byte[] Texels { get; }

    /// <param name="size">Side length, a power of two from 64 to 4096.</param>
    /// <param name="persistence">Amplitude ratio between successive octaves. Bilinear lattices steepen the spectrum, so
    /// 0.75 (not the textbook 0.5) is what lands the measured power-spectrum slope near -2.6, inside the natural range.</param>
    public static FractalTexture Create(int size, DeterministicRandom random, double persistence = 0.75)
    {
        if (size < 64 || size > 4096 || (size & (size - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), "texture size must be a power of two in 64..4096");
        }
        var sum = new float[size * size];
        var amplitude = 1.0f;
        // The coarsest lattice has 4 cells across the texture; the finest has one texel per cell.
        for (var cells = 4; cells <= size; cells *= 2)
        {
            AddOctave(sum, size, cells, amplitude, random);
            amplitude *= (float)persistence;
        }
        return new FractalTexture(size, Normalise(sum));
    }

    private static void AddOctave(float[] sum, int size, int cells, float amplitude, DeterministicRandom random)
    {
        var lattice = new float[cells * cells];
        for (var i = 0; i < lattice.Length; i++)
        {
            lattice[i] = (float)(random.NextDouble() * 2 - 1) * amplitude;
        }
        var cellSize = size / cells;
        if (cellSize == 1)
        {
            for (var i = 0; i < sum.Length; i++)
            {
                sum[i] += lattice[i];
            }
            return;
        }
        var inv = 1.0f / cellSize;
        Parallel.For(0, size, y =>
        {
            var cy = y / cellSize;
            var fy = (y % cellSize) * inv;
            var row0 = cy * cells;
            var row1 = ((cy + 1) & (cells - 1)) * cells;
            var dst = y * size;
            for (var cx = 0; cx < cells; cx++)
            {
                var nx = (cx + 1) & (cells - 1);
                var left = lattice[row0 + cx] + (lattice[row1 + cx] - lattice[row0 + cx]) * fy;
                var right = lattice[row0 + nx] + (lattice[row1 + nx] - lattice[row0 + nx]) * fy;
                var step = (right - left) * inv;
                var value = left;
                var x0 = dst + cx * cellSize;
                for (var k = 0; k < cellSize; k++)
                {
                    sum[x0 + k] += value;
                    value += step;
                }
            }
        });
    }

    /// <summary>Maps the sum onto 0..255 by its 0.5 and 99.5 percentiles, so every texture uses the full range.</summary>
    private static byte[] Normalise(float[] sum)
    {
        float min = float.MaxValue, max = float.MinValue;
        foreach (var v in sum)
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        const int bins = 4096;
        var histogram = new int[bins];
        var scale = (bins - 1) / Math.Max(1e-6f, max - min);
        foreach (var v in sum)
        {
            histogram[(int)((v - min) * scale)]++;
        }
        float lo = min, hi = max;
        long seen = 0;
        var lowCount = sum.Length / 200;
        var highCount = sum.Length - sum.Length / 200;
        var loFound = false;
        for (var b = 0; b < bins; b++)
        {
            seen += histogram[b];
            if (!loFound && seen >= lowCount)
            {
                lo = min + b / scale;
                loFound = true;
            }
            if (seen >= highCount)
            {
                hi = min + (b + 1) / scale;
                break;
            }
        }
        var texels = new byte[sum.Length];
        var k = 255f / Math.Max(1e-6f, hi - lo);
        for (var i = 0; i < sum.Length; i++)
        {
            texels[i] = (byte)Math.Clamp((int)((sum[i] - lo) * k + 0.5f), 0, 255);
        }
        return texels;
    }
}
