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

    [Theory]
    [InlineData(PayloadCodec.ListSize, 40)]
    [InlineData(PayloadCodec.DeepListSize, 4)]
    public void ListDecoding_BestWordIsTheViterbiWord_AndWordsComeInOrderOfLikelihood(int listSize, int trials)
    {
        var codec = new PayloadCodec(Key.DeriveSubkey("test/check"));
        var rng = new Random(5);
        for (var t = 0; t < trials; t++)
        {
            var coded = codec.Encode((ulong)rng.NextInt64());
            var soft = coded.Select(b => (b ? -1.0 : 1.0) + Gaussian(rng) * 1.1).ToArray();
            var words = ConvolutionalCode.DecodeList(soft, PayloadCodec.InfoBits, listSize);
            Assert.Equal(listSize, words.Count);
            Assert.Equal(ConvolutionalCode.Decode(soft, PayloadCodec.InfoBits), words[0]);
            Assert.Equal(words.Count, words.Select(w => string.Concat(w.Select(b => b ? '1' : '0'))).Distinct().Count());
            var metrics = words.Select(w => Correlation(ConvolutionalCode.Encode(w), soft)).ToList();
            for (var i = 1; i < metrics.Count; i++) Assert.True(metrics[i] <= metrics[i - 1] + 1e-9, $"word {i} is more likely than word {i - 1}");
        }
    }

    [Fact]
    public void ListDecoding_RecoversPayloadsThePlainDecoderLoses_AndNeverAWrongOne()
    {
        var codec = new PayloadCodec(Key.DeriveSubkey("test/check"));
        var rng = new Random(9);
        int plain = 0, list = 0, wrong = 0;
        for (var t = 0; t < 400; t++)
        {
            var payload = (ulong)rng.NextInt64();
            // Gaussian noise near the code's limit: about one coded bit in six arrives with the wrong sign.
            var soft = codec.Encode(payload).Select(b => (b ? -1.0 : 1.0) + Gaussian(rng) * 1.0).ToArray();
            var a = codec.Decode(soft);
            var b = codec.DecodeList(soft);
            if (a.CheckPasses && a.Payload == payload) plain++;
            if (b.CheckPasses && b.Payload == payload) list++;
            if (b.CheckPasses && b.Payload != payload) wrong++;
        }
        Assert.Equal(0, wrong);
        Assert.True(list >= plain + 60, $"list decoding recovered {list} of 400, plain decoding {plain}");
    }

    [Fact]
    public void DeepList_RecoversPayloadsTheShortListLoses_AndNeverAWrongOne()
    {
        var codec = new PayloadCodec(Key.DeriveSubkey("test/check"));
        var rng = new Random(21);
        int shortList = 0, deepList = 0, wrong = 0;
        for (var t = 0; t < 120; t++)
        {
            var payload = (ulong)rng.NextInt64();
            // Beyond the short list's reach: about one coded bit in five arrives with the wrong sign.
            var soft = codec.Encode(payload).Select(b => (b ? -1.0 : 1.0) + Gaussian(rng) * 1.15).ToArray();
            var a = codec.DecodeList(soft);
            var b = codec.DecodeList(soft, PayloadCodec.DeepListSize);
            if (a.CheckPasses && a.Payload == payload) shortList++;
            if (b.CheckPasses && b.Payload == payload)
            {
                deepList++;
                // Ranks below the short list's size are what the short list already finds.
                Assert.True(b.Rank < PayloadCodec.ListSize || !(a.CheckPasses && a.Payload == payload));
            }
            if (b.CheckPasses && b.Payload != payload) wrong++;
        }
        Assert.Equal(0, wrong);
        Assert.True(deepList >= shortList + 10, $"the deep list recovered {deepList} of 120, the short list {shortList}");
    }

    [Fact]
    public void ListDecoding_RefusesListsItCannotIndex()
    {
        var soft = new double[PayloadCodec.CodedBits];
        Assert.Throws<ArgumentOutOfRangeException>(() => ConvolutionalCode.DecodeList(soft, PayloadCodec.InfoBits, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ConvolutionalCode.DecodeList(soft, PayloadCodec.InfoBits, ConvolutionalCode.MaximumListSize + 1));
    }

    [Theory]
    [InlineData(0, 300, 11)]                          // expected 300 · 2^-32
    [InlineData(PayloadCodec.ListSize, 300, 13)]      // expected 300 · 16 · 2^-32
    [InlineData(PayloadCodec.DeepListSize, 40, 17)]   // expected 40 · 1024 · 2^-32
    public void RandomSoftValues_AlmostNeverPassTheCheck(int listSize, int trials, int seed)
    {
        var codec = new PayloadCodec(Key.DeriveSubkey("test/check"));
        var rng = new Random(seed);
        var passes = 0;
        for (var t = 0; t < trials; t++)
        {
            var soft = Enumerable.Range(0, PayloadCodec.CodedBits).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
            if (listSize > 0 ? codec.DecodeList(soft, listSize).CheckPasses : codec.Decode(soft).CheckPasses) passes++;
        }
        Assert.Equal(0, passes);
    }

    private static double Gaussian(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    private static double Correlation(bool[] coded, double[] soft)
    {
        double s = 0;
        for (var i = 0; i < soft.Length; i++) s += coded[i] ? -soft[i] : soft[i];
        return s;
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
