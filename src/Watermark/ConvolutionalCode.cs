using System.Buffers;
using System.Numerics;

namespace Provenance.Watermark;

/// <summary>
/// Rate-1/2 convolutional code, constraint length 7 (generators 171, 133 octal), zero-terminated, with a
/// soft-decision Viterbi decoder and a list Viterbi decoder (the L most likely words, for a check to choose among).
/// Coded bit b is sent as +1 for 0 and -1 for 1.
/// </summary>
internal static class ConvolutionalCode
{
    private const int Memory = 6;
    private const int States = 1 << Memory;
    private const int G1 = 0b1111001; // 171 octal
    private const int G2 = 0b1011011; // 133 octal

    public static int CodedLength(int infoBits) => 2 * (infoBits + Memory);

    public static bool[] Encode(ReadOnlySpan<bool> info)
    {
        var coded = new bool[CodedLength(info.Length)];
        var state = 0;
        for (var i = 0; i < info.Length + Memory; i++)
        {
            var bit = i < info.Length && info[i] ? 1 : 0;
            var reg = (bit << Memory) | state;
            coded[2 * i] = (BitOperations.PopCount((uint)(reg & G1)) & 1) == 1;
            coded[2 * i + 1] = (BitOperations.PopCount((uint)(reg & G2)) & 1) == 1;
            state = reg >> 1;
        }
        return coded;
    }

    /// <summary>Maximum-likelihood info bits for soft values (positive means "0" was sent).</summary>
    public static bool[] Decode(ReadOnlySpan<double> soft, int infoBits)
    {
        var steps = infoBits + Memory;
        if (soft.Length != 2 * steps) throw new ArgumentException("Soft input length does not match the code.", nameof(soft));
        var metric = new double[States];
        var next = new double[States];
        Array.Fill(metric, double.NegativeInfinity);
        metric[0] = 0;
        var decision = new byte[steps * States]; // input bit that led into each state
        var from = new byte[steps * States];
        for (var t = 0; t < steps; t++)
        {
            Array.Fill(next, double.NegativeInfinity);
            var y1 = soft[2 * t];
            var y2 = soft[2 * t + 1];
            var maxBit = t < infoBits ? 1 : 0;
            for (var s = 0; s < States; s++)
            {
                if (double.IsNegativeInfinity(metric[s])) continue;
                for (var bit = 0; bit <= maxBit; bit++)
                {
                    var reg = (bit << Memory) | s;
                    var c1 = (BitOperations.PopCount((uint)(reg & G1)) & 1) == 1 ? -y1 : y1;
                    var c2 = (BitOperations.PopCount((uint)(reg & G2)) & 1) == 1 ? -y2 : y2;
                    var ns = reg >> 1;
                    var m = metric[s] + c1 + c2;
                    if (m > next[ns])
                    {
                        next[ns] = m;
                        decision[t * States + ns] = (byte)bit;
                        from[t * States + ns] = (byte)s;
                    }
                }
            }
            (metric, next) = (next, metric);
        }
        var bits = new bool[steps];
        var state = 0;
        for (var t = steps - 1; t >= 0; t--)
        {
            bits[t] = decision[t * States + state] == 1;
            state = from[t * States + state];
        }
        return bits[..infoBits];
    }

    /// <summary>Largest list <see cref="DecodeList"/> accepts (ranks are kept in 15 bits).</summary>
    public const int MaximumListSize = 1 << 15;

    /// <summary>
    /// The <paramref name="listSize"/> most likely info words for soft values, best first (parallel list Viterbi:
    /// every state keeps its L best paths; the first word equals <see cref="Decode"/>'s up to ties). A state's two
    /// predecessors hand over their lists already in order, so each step merges two sorted lists: O(L) per state.
    /// Memory: two bytes per step, state and rank (about 13 MB for L = 1024).
    /// </summary>
    public static List<bool[]> DecodeList(ReadOnlySpan<double> soft, int infoBits, int listSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(listSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(listSize, MaximumListSize);
        var steps = infoBits + Memory;
        if (soft.Length != 2 * steps) throw new ArgumentException("Soft input length does not match the code.", nameof(soft));
        var l = listSize;
        // Per step, state and rank: the predecessor's rank and which of the two predecessors, as (rank << 1) | low.
        // The input bit is the state's top bit, so it need not be stored.
        // Every entry that is read back was written in this call, so a rented array needs no clearing.
        var back = ArrayPool<ushort>.Shared.Rent(steps * States * l);
        try
        {
            return DecodeList(soft, infoBits, l, back);
        }
        finally
        {
            ArrayPool<ushort>.Shared.Return(back);
        }
    }

    private static List<bool[]> DecodeList(ReadOnlySpan<double> soft, int infoBits, int l, ushort[] back)
    {
        var steps = infoBits + Memory;
        var metric = new double[States * l];
        var next = new double[States * l];
        Array.Fill(metric, double.NegativeInfinity);
        metric[0] = 0;
        for (var t = 0; t < steps; t++)
        {
            var y1 = soft[2 * t];
            var y2 = soft[2 * t + 1];
            var maxBit = t < infoBits ? 1 : 0;
            for (var ns = 0; ns < States; ns++)
            {
                var target = next.AsSpan(ns * l, l);
                // Next state ns = reg >> 1 with reg = (bit << 6) | s: bit is ns's top bit, s = ((ns << 1) & 63) | low.
                var bit = ns >> (Memory - 1);
                if (bit > maxBit)
                {
                    target.Fill(double.NegativeInfinity);
                    continue;
                }
                var s0 = (ns << 1) & (States - 1);
                var list0 = metric.AsSpan(s0 * l, l);
                var list1 = metric.AsSpan((s0 | 1) * l, l);
                var branch0 = Branch((bit << Memory) | s0, y1, y2);
                var branch1 = Branch((bit << Memory) | s0 | 1, y1, y2);
                var pointers = back.AsSpan((t * States + ns) * l, l);
                int i = 0, j = 0;
                for (var r = 0; r < l; r++)
                {
                    var a = i < l ? list0[i] + branch0 : double.NegativeInfinity;
                    var b = j < l ? list1[j] + branch1 : double.NegativeInfinity;
                    if (double.IsNegativeInfinity(a) && double.IsNegativeInfinity(b))
                    {
                        target[r..].Fill(double.NegativeInfinity);
                        break;
                    }
                    if (a >= b)
                    {
                        target[r] = a;
                        pointers[r] = (ushort)(i++ << 1);
                    }
                    else
                    {
                        target[r] = b;
                        pointers[r] = (ushort)((j++ << 1) | 1);
                    }
                }
            }
            (metric, next) = (next, metric);
        }
        var words = new List<bool[]>(l);
        for (var rank = 0; rank < l && !double.IsNegativeInfinity(metric[rank]); rank++)
        {
            var bits = new bool[steps];
            int state = 0, r = rank;
            for (var t = steps - 1; t >= 0; t--)
            {
                var pointer = back[(t * States + state) * l + r];
                bits[t] = state >> (Memory - 1) == 1;
                state = ((state << 1) & (States - 1)) | (pointer & 1);
                r = pointer >> 1;
            }
            words.Add(bits[..infoBits]);
        }
        return words;
    }

    /// <summary>Correlation of the two coded bits of shift register <paramref name="reg"/> with the soft values.</summary>
    private static double Branch(int reg, double y1, double y2) =>
        ((BitOperations.PopCount((uint)(reg & G1)) & 1) == 1 ? -y1 : y1)
        + ((BitOperations.PopCount((uint)(reg & G2)) & 1) == 1 ? -y2 : y2);
}
