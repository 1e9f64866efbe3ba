using System.Numerics;

namespace Provenance.Watermark;

/// <summary>
/// Rate-1/2 convolutional code, constraint length 7 (generators 171, 133 octal), zero-terminated, with a
/// soft-decision Viterbi decoder. Coded bit b is sent as +1 for 0 and -1 for 1.
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
}
