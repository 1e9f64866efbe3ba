using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace Provenance.Generator.Procedural;

/// <summary>
/// xoshiro256** seeded through SplitMix64: fast, portable and identical on every platform, so the same
/// prompt and seed always yield the same scene and the same bytes (System.Random makes no such promise).
/// </summary>
internal sealed class DeterministicRandom
{
    private ulong _s0, _s1, _s2, _s3;

    public DeterministicRandom(ulong seed)
    {
        var x = seed;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    /// <summary>A generator whose state depends on the prompt text (UTF-8, SHA-256) and the seed.</summary>
    public static DeterministicRandom FromPrompt(string prompt, ulong seed, string purpose)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes($"{purpose}\n{seed}\n{prompt}"));
        return new DeterministicRandom(BitConverter.ToUInt64(bytes, 0) ^ BitConverter.ToUInt64(bytes, 8));
    }

    public ulong NextUInt64()
    {
        var result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public double Range(double min, double max) => min + (max - min) * NextDouble();

    public int Next(int maxExclusive) => (int)(NextUInt64() % (ulong)maxExclusive);

    public byte NextByte() => (byte)(NextUInt64() >> 56);

    private static ulong SplitMix(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        var z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
