using Provenance.Formats.Cbor;

namespace Provenance.Formats.Tests.Cbor;

public sealed class CborRoundTripTests
{
    [Fact]
    public void RandomTrees_RoundTripThroughDeterministicEncoding()
    {
        var random = new Random(8949);
        for (int i = 0; i < 500; i++)
        {
            var value = RandomCbor.Value(random, depth: 0);

            var encoded = value.Encode();
            var decoded = CborValue.Decode(encoded);

            Assert.Equal(value, decoded);
            Assert.Equal(encoded, decoded.Encode());
        }
    }

    [Fact]
    public void Decode_AcceptsMapsInAnyKeyOrder()
    {
        // {"b": 1, "a": 2}: not deterministic order, still accepted, then re-encoded sorted.
        var value = CborValue.Decode(Convert.FromHexString("a2616201616102"));

        Assert.Equal(2, value.AsMap()["a"].AsInt32());
        Assert.Equal("a2616102616201", Convert.ToHexStringLower(value.Encode()));
        Assert.Equal("{\"b\": 1, \"a\": 2}", value.ToString());
    }
}

internal static class RandomCbor
{
    public static CborValue Value(Random random, int depth)
    {
        int kind = random.Next(depth > 4 ? 7 : 10);
        switch (kind)
        {
            case 0: return new CborInteger((ulong)random.NextInt64() * (ulong)random.Next(1, 3), random.Next(2) == 0);
            case 1: return random.Next(-1000, 1000);
            case 2:
                var bytes = new byte[random.Next(0, 40)];
                random.NextBytes(bytes);
                return bytes;
            case 3: return new string(Enumerable.Range(0, random.Next(0, 12)).Select(_ => (char)random.Next(0x20, 0x3000)).Where(c => !char.IsSurrogate(c)).ToArray());
            case 4: return random.Next(4) switch { 0 => CborValue.True, 1 => CborValue.False, 2 => CborValue.Null, _ => CborValue.Undefined };
            case 5: return random.Next(3) switch { 0 => random.NextDouble(), 1 => (double)(float)random.NextDouble(), _ => (double)random.Next(-100, 100) / 4 };
            case 6: return new CborSimpleValue((byte)random.Next(32, 256));
            case 7:
                var array = new CborArray();
                for (int i = random.Next(0, 6); i > 0; i--)
                    array.Add(Value(random, depth + 1));
                return array;
            case 8:
                var map = new CborMap();
                for (int i = random.Next(0, 6); i > 0; i--)
                    map.TryAdd(Value(random, depth + 1), Value(random, depth + 1));
                return map;
            default: return new CborTag((ulong)random.Next(0, 100000), Value(random, depth + 1));
        }
    }
}
