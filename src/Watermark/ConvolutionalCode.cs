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

    /// <summary>
    /// The <paramref name="listSize"/> most likely info words for soft values, best first (parallel list Viterbi:
    /// every state keeps its L best paths; the first word equals <see cref="Decode"/>'s up to ties).
    /// </summary>
    public static List<bool[]> DecodeList(ReadOnlySpan<double> soft, int infoBits, int listSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(listSize, 1);
        var steps = infoBits + Memory;
        if (soft.Length != 2 * steps) throw new ArgumentException("Soft input length does not match the code.", nameof(soft));
        var l = listSize;
        var metric = new double[States * l];
        var next = new double[States * l];
        Array.Fill(metric, double.NegativeInfinity);
        metric[0] = 0;
        // Per step, state and rank: the predecessor state and rank, and the input bit.
        var fromState = new byte[steps * States * l];
        var fromRank = new byte[steps * States * l];
        var inputBit = new byte[steps * States * l];
        var candidates = new (double Metric, int State, int Rank, int Bit)[2 * l];
        for (var t = 0; t < steps; t++)
        {
            var y1 = soft[2 * t];
            var y2 = soft[2 * t + 1];
            var maxBit = t < infoBits ? 1 : 0;
            for (var ns = 0; ns < States; ns++)
            {
                // Next state ns = reg >> 1 with reg = (bit << 6) | s: bit is ns's top bit, s = ((ns << 1) & 63) | low.
                var bit = ns >> (Memory - 1);
                var count = 0;
                if (bit <= maxBit)
                {
                    for (var low = 0; low <= 1; low++)
                    {
                        var s = ((ns << 1) & (States - 1)) | low;
                        var reg = (bit << Memory) | s;
                        var branch = ((BitOperations.PopCount((uint)(reg & G1)) & 1) == 1 ? -y1 : y1)
                            + ((BitOperations.PopCount((uint)(reg & G2)) & 1) == 1 ? -y2 : y2);
                        for (var r = 0; r < l; r++)
                        {
                            var m = metric[s * l + r];
                            if (double.IsNegativeInfinity(m)) break;
                            candidates[count++] = (m + branch, s, r, bit);
                        }
                    }
                }
                Array.Sort(candidates, 0, count, CandidateOrder.Instance);
                for (var r = 0; r < l; r++)
                {
                    var o = ns * l + r;
                    if (r < count)
                    {
                        next[o] = candidates[r].Metric;
                        var at = (t * States + ns) * l + r;
                        fromState[at] = (byte)candidates[r].State;
                        fromRank[at] = (byte)candidates[r].Rank;
                        inputBit[at] = (byte)candidates[r].Bit;
                    }
                    else next[o] = double.NegativeInfinity;
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
                var at = (t * States + state) * l + r;
                bits[t] = inputBit[at] == 1;
                (state, r) = (fromState[at], fromRank[at]);
            }
            words.Add(bits[..infoBits]);
        }
        return words;
    }

    private sealed class CandidateOrder : IComparer<(double Metric, int State, int Rank, int Bit)>
    {
        public static readonly CandidateOrder Instance = new();

        public int Compare((double Metric, int State, int Rank, int Bit) a, (double Metric, int State, int Rank, int Bit) b) =>
            b.Metric.CompareTo(a.Metric);
    }
}
