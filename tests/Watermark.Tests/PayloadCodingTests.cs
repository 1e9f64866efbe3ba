namespace Provenance.Watermark.Tests;

public sealed class PayloadCodingTests
{
    private static readonly WatermarkKey Key = WatermarkKey.Parse("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

    [Fact]
    public void NoisySoftBits_WithOneInSixFlipped_DecodeToThePayloadAndCheck()
    {
        var codec = new PayloadCodec(Key.DeriveSubkey("test/check"));
        var rng = new Random(7);
        foreach (var payload in new ulong[] { 0, ulong.MaxValue, 0x0123456789abcdef, 0x8000000000000001 })
        {
            var coded = codec.Encode(payload);
            Assert.Equal(PayloadCodec.CodedBits, coded.Length);
            var soft = coded.Select(b => (b ? -1.0 : 1.0) + rng.NextDouble() * 0.4 - 0.2).ToArray();
            for (var i = 3; i < soft.Length; i += 6) soft[i] = -soft[i] * 0.5; // ~17% hard errors, weakly
            var (decoded, ok) = codec.Decode(soft);
            Assert.True(ok);
            Assert.Equal(payload, decoded);
        }
    }

    [Fact]
    public void CodedPayload_ReadWithAnotherCheckKey_FailsTheCheck()
    {
        var coded = new PayloadCodec(Key.DeriveSubkey("a")).Encode(42);
        var soft = coded.Select(b => b ? -1.0 : 1.0).ToArray();
        var (decoded, ok) = new PayloadCodec(Key.DeriveSubkey("b")).Decode(soft);
        Assert.Equal(42UL, decoded);
        Assert.False(ok);
    }

    [Fact]
    public void RandomSoftValues_AlmostNeverPassTheCheck()
    {
        var codec = new PayloadCodec(Key.DeriveSubkey("test/check"));
        var rng = new Random(11);
        var passes = 0;
        for (var t = 0; t < 300; t++)
        {
            var soft = Enumerable.Range(0, PayloadCodec.CodedBits).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
            if (codec.Decode(soft).CheckPasses) passes++;
        }
        Assert.Equal(0, passes); // expected 300 · 2^-32
    }

    [Theory]
    [InlineData("0123456789abcdef", 0x0123456789abcdefUL)]
    [InlineData("0x00000000000000ff", 0xffUL)]
    [InlineData("FFFFFFFFFFFFFFFF", ulong.MaxValue)]
    public void PayloadHex_ParsesAndPrintsAs16LowercaseDigits(string text, ulong value)
    {
        Assert.True(WatermarkPayload.TryParseHex(text, out var parsed));
        Assert.Equal(value, parsed);
        Assert.Equal(16, WatermarkPayload.ToHex(value).Length);
        Assert.Equal(WatermarkPayload.ToHex(value), WatermarkPayload.ToHex(value).ToLowerInvariant());
    }

    [Theory]
    [InlineData("")]
    [InlineData("xyz")]
    [InlineData("0123456789abcdef0")]
    public void PayloadHex_RejectsWhatIsNotOneTo16HexDigits(string text) =>
        Assert.False(WatermarkPayload.TryParseHex(text, out _));
}
