using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Provenance.Watermark;

/// <summary>
/// Payload coding: 64-bit asset id + 32 keyed check bits (truncated HMAC-SHA256 of the id), protected by the
/// rate-1/2 K=7 convolutional code → 204 coded bits. A random word passes the check with probability 2^-32.
/// </summary>
internal sealed class PayloadCodec(byte[] checkSubkey)
{
    public const int PayloadBits = 64;
    public const int CheckBits = 32;
    public const int InfoBits = PayloadBits + CheckBits;
    public static readonly int CodedBits = ConvolutionalCode.CodedLength(InfoBits);

    /// <summary>Probability that a random decoded word passes the check.</summary>
    public const double CheckFalsePassProbability = 1.0 / (1L << CheckBits);

    /// <summary>Words the list decoder offers to the check, most likely first.</summary>
    public const int ListSize = 16;

    /// <summary>Words offered where the pilots leave no doubt that a mark is present but none of the first
    /// <see cref="ListSize"/> checks (the extractor's deep list, see its p-value).</summary>
    public const int DeepListSize = 1024;

    public bool[] Encode(ulong payload)
    {
        var info = new bool[InfoBits];
        for (var i = 0; i < PayloadBits; i++) info[i] = ((payload >> (PayloadBits - 1 - i)) & 1) == 1;
        var check = Check(payload);
        for (var i = 0; i < CheckBits; i++) info[PayloadBits + i] = ((check >> (CheckBits - 1 - i)) & 1) == 1;
        return ConvolutionalCode.Encode(info);
    }

    /// <summary>Decodes soft values (positive = coded bit 0). Returns the candidate id and whether its check bits verify.</summary>
    public (ulong Payload, bool CheckPasses) Decode(ReadOnlySpan<double> soft) => Read(ConvolutionalCode.Decode(soft, InfoBits));

    /// <summary>
    /// List decoding: the most likely of the <paramref name="listSize"/> best words whose check verifies, with its rank
    /// (0 = the Viterbi word), or the most likely word (check failing) when none does. A random input passes with
    /// probability at most listSize x 2^-32.
    /// </summary>
    public (ulong Payload, bool CheckPasses, int Rank) DecodeList(ReadOnlySpan<double> soft, int listSize = ListSize)
    {
        var words = ConvolutionalCode.DecodeList(soft, InfoBits, listSize);
        var viterbi = Read(words[0]);
        if (viterbi.CheckPasses) return (viterbi.Payload, true, 0);
        for (var rank = 1; rank < words.Count; rank++)
        {
            var read = Read(words[rank]);
            if (read.CheckPasses) return (read.Payload, true, rank);
        }
        return (viterbi.Payload, false, 0);
    }

    private (ulong Payload, bool CheckPasses) Read(bool[] info)
    {
        ulong payload = 0;
        for (var i = 0; i < PayloadBits; i++) payload = (payload << 1) | (info[i] ? 1UL : 0UL);
        uint check = 0;
        for (var i = 0; i < CheckBits; i++) check = (check << 1) | (info[PayloadBits + i] ? 1u : 0u);
        return (payload, check == Check(payload));
    }

    private uint Check(ulong payload)
    {
        Span<byte> id = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(id, payload);
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(checkSubkey, id, mac);
        return BinaryPrimitives.ReadUInt32BigEndian(mac);
    }
}
