using Provenance.Formats.Cbor;

namespace Provenance.Formats.Tests.Cbor;

public sealed class CborWriterTests
{
    [Fact]
    public void WriteMap_SortsKeysBytewiseByEncoding()
    {
        // RFC 8949 §4.2.1 example order: 10, 100, -1, "z", "aa", [100], [-1], false.
        var map = new CborMap
        {
            { false, 8 },
            { new CborArray { -1 }, 7 },
            { "aa", 5 },
            { 100, 2 },
            { new CborArray { 100 }, 6 },
            { "z", 4 },
            { -1, 3 },
            { 10, 1 },
        };

        var encoded = map.Encode();

        Assert.Equal("a80a01186402200361 7a04626161058118640681200 7f408".Replace(" ", ""), Convert.ToHexStringLower(encoded));
    }

    [Fact]
    public void Encode_SameMapBuiltInAnyOrder_GivesIdenticalBytes()
    {
        var random = new Random(20261121);
        var keys = Enumerable.Range(0, 50).Select(i => $"key{i}").ToArray();
        byte[]? first = null;
        for (int round = 0; round < 10; round++)
        {
            var map = new CborMap();
            foreach (var key in keys.OrderBy(_ => random.Next()))
                map.Add(key, key.Length);
            var encoded = map.Encode();
            first ??= encoded;
            Assert.Equal(first, encoded);
        }
    }

    [Theory]
    [InlineData(0L, "00")]
    [InlineData(23L, "17")]
    [InlineData(24L, "1818")]
    [InlineData(255L, "18ff")]
    [InlineData(256L, "190100")]
    [InlineData(65535L, "19ffff")]
    [InlineData(65536L, "1a00010000")]
    [InlineData(4294967295L, "1affffffff")]
    [InlineData(4294967296L, "1b0000000100000000")]
    [InlineData(-24L, "37")]
    [InlineData(-25L, "3818")]
    [InlineData(long.MinValue, "3b7fffffffffffffff")]
    public void WriteInt64_UsesShortestForm(long value, string hex)
    {
        var writer = new CborWriter();
        writer.WriteInt64(value);

        Assert.Equal(hex, Convert.ToHexStringLower(writer.Encode()));
    }

    [Fact]
    public void Writer_WrongItemCount_IsRejected()
    {
        var writer = new CborWriter();
        writer.WriteStartArray(2);
        writer.WriteInt64(1);

        Assert.Throws<InvalidOperationException>(() => writer.WriteEndArray());
        Assert.Throws<InvalidOperationException>(() => writer.Encode());
    }

    [Fact]
    public void Writer_DuplicateKeys_AreRejected()
    {
        var writer = new CborWriter();
        writer.WriteStartMap(2);
        writer.WriteTextString("a");
        writer.WriteInt64(1);
        writer.WriteTextString("a");
        writer.WriteInt64(2);

        Assert.Throws<InvalidOperationException>(() => writer.WriteEndMap());
    }

    [Fact]
    public void WriteEncodedValue_EmbedsAnItemAndKeepsKeyOrdering()
    {
        var writer = new CborWriter();
        writer.WriteStartMap(2);
        writer.WriteTextString("b");
        writer.WriteEncodedValue(Convert.FromHexString("820102"));
        writer.WriteTag(18);
        writer.WriteTextString("a");
        writer.WriteNull();
        writer.WriteEndMap();

        // "b" (61 62) sorts before tag 18 (d2 ...).
        Assert.Equal("a2616282010 2d26161f6".Replace(" ", ""), Convert.ToHexStringLower(writer.Encode()));
    }

    [Fact]
    public void WriteEncodedValue_RejectsMalformedBytes()
    {
        Assert.Throws<ArgumentException>(() => new CborWriter().WriteEncodedValue([0x82, 0x01]));
    }
}
