using System.Numerics;
using System.Security.Cryptography;
using Provenance.Generator.Backends;
using Provenance.Generator.Frames;

namespace Provenance.Generator.Tests.Procedural;

/// <summary>Measurements on generated frames: hashes, means, and the radially averaged power spectrum.</summary>
internal static class FrameStatistics
{
    public static async Task<string> HashClipAsync(IGenerationBackend backend, GenerationRequest request, CancellationToken ct = default)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await foreach (var frame in backend.GenerateAsync(request, FramePool.Shared, ct))
        {
            using (frame)
            {
                sha.AppendData(frame.Data);
            }
        }
        return Convert.ToHexString(sha.GetHashAndReset());
    }

    public static async Task<List<byte[]>> CollectAsync(IGenerationBackend backend, GenerationRequest request, CancellationToken ct = default)
    {
        var frames = new List<byte[]>();
        await foreach (var frame in backend.GenerateAsync(request, FramePool.Shared, ct))
        {
            using (frame)
            {
                frames.Add(frame.Data.ToArray());
            }
        }
        return frames;
    }

    public static double Mean(ReadOnlySpan<byte> plane)
    {
        long sum = 0;
        foreach (var b in plane)
        {
            sum += b;
        }
        return sum / (double)plane.Length;
    }

    public static double StandardDeviation(ReadOnlySpan<byte> plane)
    {
        var mean = Mean(plane);
        double sum = 0;
        foreach (var b in plane)
        {
            sum += (b - mean) * (b - mean);
        }
        return Math.Sqrt(sum / plane.Length);
    }

    /// <summary>
    /// Slope of log power against log spatial frequency of a square luma crop (Hann-windowed), fitted over
    /// the middle frequencies. Natural photographs sit near -2 (roughly -1.6 to -3).
    /// </summary>
    public static double SpectralSlope(byte[] luma, int width, int left, int top, int size)
    {
        var data = new Complex[size, size];
        double mean = 0;
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                mean += luma[(top + y) * width + left + x];
            }
        }
        mean /= size * size;
        for (var y = 0; y < size; y++)
        {
            var wy = 0.5 - 0.5 * Math.Cos(2 * Math.PI * y / (size - 1));
            for (var x = 0; x < size; x++)
            {
                var wx = 0.5 - 0.5 * Math.Cos(2 * Math.PI * x / (size - 1));
                data[y, x] = (luma[(top + y) * width + left + x] - mean) * wx * wy;
            }
        }
        Fft2D(data, size);
        var power = new double[size / 2];
        var counts = new int[size / 2];
        for (var y = 0; y < size; y++)
        {
            var fy = y <= size / 2 ? y : y - size;
            for (var x = 0; x < size; x++)
            {
                var fx = x <= size / 2 ? x : x - size;
                var r = (int)Math.Round(Math.Sqrt(fx * fx + fy * fy));
                if (r > 0 && r < size / 2)
                {
                    power[r] += data[y, x].Magnitude * data[y, x].Magnitude;
                    counts[r]++;
                }
            }
        }
        var xs = new List<double>();
        var ys = new List<double>();
        for (var r = 4; r < size / 4; r++)
        {
            xs.Add(Math.Log(r));
            ys.Add(Math.Log(power[r] / counts[r] + 1e-12));
        }
        var mx = xs.Average();
        var my = ys.Average();
        var num = xs.Zip(ys).Sum(p => (p.First - mx) * (p.Second - my));
        var den = xs.Sum(v => (v - mx) * (v - mx));
        return num / den;
    }

    private static void Fft2D(Complex[,] data, int n)
    {
        var line = new Complex[n];
        for (var y = 0; y < n; y++)
        {
            for (var x = 0; x < n; x++)
            {
                line[x] = data[y, x];
            }
            Fft(line);
            for (var x = 0; x < n; x++)
            {
                data[y, x] = line[x];
            }
        }
        for (var x = 0; x < n; x++)
        {
            for (var y = 0; y < n; y++)
            {
                line[y] = data[y, x];
            }
            Fft(line);
            for (var y = 0; y < n; y++)
            {
                data[y, x] = line[y];
            }
        }
    }

    private static void Fft(Complex[] a)
    {
        var n = a.Length;
        for (int i = 1, j = 0; i < n; i++)
        {
            var bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1)
            {
                j ^= bit;
            }
            j ^= bit;
            if (i < j)
            {
                (a[i], a[j]) = (a[j], a[i]);
            }
        }
        for (var len = 2; len <= n; len <<= 1)
        {
            var angle = -2 * Math.PI / len;
            var wlen = new Complex(Math.Cos(angle), Math.Sin(angle));
            for (var i = 0; i < n; i += len)
            {
                var w = Complex.One;
                for (var k = 0; k < len / 2; k++)
                {
                    var u = a[i + k];
                    var v = a[i + k + len / 2] * w;
                    a[i + k] = u + v;
                    a[i + k + len / 2] = u - v;
                    w *= wlen;
                }
            }
        }
    }
}
