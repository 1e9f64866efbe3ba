using System.Buffers.Binary;

namespace Provenance.Formats.Fuzzing;

/// <summary>Deterministic (seeded) mutations of a valid input.</summary>
public sealed class ByteMutator(int seed)
{
    private static readonly ulong[] AbsurdValues =
    [
        0, 1, 2, 7, 8, 9, 15, 16, 17, 23, 24, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0xFFFF, 0x10000,
        0x7FFFFFFF, 0x80000000, 0xFFFFFFFE, 0xFFFFFFFF, 0x100000000, long.MaxValue, 0x8000000000000000, ulong.MaxValue,
    ];

    private readonly Random _random = new(seed);

    /// <summary>Every proper prefix of the input.</summary>
    public static IEnumerable<byte[]> Truncations(byte[] input)
    {
        for (int length = 0; length < input.Length; length++)
            yield return input[..length];
    }

    /// <summary>One random mutation: byte flips, absurd size fields, insertions, deletions or duplications.</summary>
    public byte[] Mutate(byte[] input)
    {
        if (input.Length == 0)
            return [(byte)_random.Next(256)];
        return _random.Next(8) switch
        {
            7 => WriteAbsurdBoxSize(input),
            0 => FlipBits(input, 1),
            1 => FlipBits(input, 1 + _random.Next(8)),
            2 => SetRandomBytes(input, 1 + _random.Next(4)),
            3 => WriteAbsurdSize(input),
            4 => Delete(input),
            5 => Insert(input),
            _ => DuplicateRegion(input),
        };
    }

    private byte[] FlipBits(byte[] input, int count)
    {
        var copy = input.ToArray();
        for (int i = 0; i < count; i++)
            copy[_random.Next(copy.Length)] ^= (byte)(1 << _random.Next(8));
        return copy;
    }

    private byte[] SetRandomBytes(byte[] input, int count)
    {
        var copy = input.ToArray();
        for (int i = 0; i < count; i++)
            copy[_random.Next(copy.Length)] = (byte)_random.Next(256);
        return copy;
    }

    private byte[] WriteAbsurdSize(byte[] input)
    {
        var copy = input.ToArray();
        ulong value = AbsurdValues[_random.Next(AbsurdValues.Length)];
        int width = _random.Next(4) switch { 0 => 1, 1 => 2, 2 => 4, _ => 8 };
        if (copy.Length < width)
            return FlipBits(input, 1);
        int at = _random.Next(copy.Length - width + 1);
        switch (width)
        {
            case 1: copy[at] = (byte)value; break;
            case 2: BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(at), (ushort)value); break;
            case 4: BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(at), (uint)value); break;
            default: BinaryPrimitives.WriteUInt64BigEndian(copy.AsSpan(at), value); break;
        }
        return copy;
    }

    // Box formats (BMFF, JUMBF): overwrite the 32-bit size in front of a four-letter box type.
    private byte[] WriteAbsurdBoxSize(byte[] input)
    {
        var candidates = new List<int>();
        for (int i = 0; i + 8 <= input.Length; i++)
        {
            if (IsBoxTypeByte(input[i + 4]) && IsBoxTypeByte(input[i + 5]) && IsBoxTypeByte(input[i + 6]) && IsBoxTypeByte(input[i + 7]))
                candidates.Add(i);
        }
        if (candidates.Count == 0)
            return WriteAbsurdSize(input);
        var copy = input.ToArray();
        int at = candidates[_random.Next(candidates.Count)];
        uint value = _random.Next(3) switch
        {
            0 => (uint)AbsurdValues[_random.Next(AbsurdValues.Length)],
            1 => (uint)_random.Next(0, 64),
            _ => BinaryPrimitives.ReadUInt32BigEndian(copy.AsSpan(at)) + (uint)_random.Next(-16, 17),
        };
        BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(at), value);
        return copy;
    }

    private static bool IsBoxTypeByte(byte b) => b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9') or (byte)' ';

    private byte[] Delete(byte[] input)
    {
        int at = _random.Next(input.Length);
        int count = Math.Min(input.Length - at, 1 + _random.Next(16));
        return [.. input.AsSpan(0, at), .. input.AsSpan(at + count)];
    }

    private byte[] Insert(byte[] input)
    {
        int at = _random.Next(input.Length + 1);
        var extra = new byte[1 + _random.Next(16)];
        _random.NextBytes(extra);
        return [.. input.AsSpan(0, at), .. extra, .. input.AsSpan(at)];
    }

    private byte[] DuplicateRegion(byte[] input)
    {
        int start = _random.Next(input.Length);
        int count = Math.Min(input.Length - start, 1 + _random.Next(64));
        int at = _random.Next(input.Length + 1);
        return [.. input.AsSpan(0, at), .. input.AsSpan(start, count), .. input.AsSpan(at)];
    }
}
