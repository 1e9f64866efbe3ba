using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Provenance.Watermark;

/// <summary>Deterministic pseudo-random stream: HMAC-SHA256(subkey, counter) blocks.</summary>
internal sealed class KeyedStream(byte[] subkey)
{
    private readonly byte[] _block = new byte[32];
    private readonly byte[] _counter = new byte[8];
    private ulong _next;
    private int _used = 32;

    public uint NextUInt32()
    {
        if (_used > 28)
        {
            BinaryPrimitives.WriteUInt64BigEndian(_counter, _next++);
            HMACSHA256.HashData(subkey, _counter, _block);
            _used = 0;
        }
        var v = BinaryPrimitives.ReadUInt32LittleEndian(_block.AsSpan(_used));
        _used += 4;
        return v;
    }

    /// <summary>Uniform integer in [0, n) without modulo bias.</summary>
    public int NextBelow(int n)
    {
        var limit = uint.MaxValue - uint.MaxValue % (uint)n;
        uint v;
        do v = NextUInt32(); while (v >= limit);
        return (int)(v % (uint)n);
    }

    public sbyte NextSign() => (NextUInt32() & 1) == 0 ? (sbyte)1 : (sbyte)-1;
}
