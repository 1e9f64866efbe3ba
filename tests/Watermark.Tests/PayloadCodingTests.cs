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

    /// <summary>A longer list recovers payloads a shorter one loses, near the shorter one's limit, and never a wrong one.
    /// List size 0 is the plain Viterbi decoder.</summary>
    [Theory]
    [InlineData(0, PayloadCodec.ListSize, 400, 1.0, 9, 60)]                         // about one coded bit in six wrong
    [InlineData(PayloadCodec.ListSize, PayloadCodec.DeepListSize, 120, 1.15, 21, 10)] // about one in five
    public void LongerList_RecoversPayloadsAShorterOneLoses_AndNeverAWrongOne(int shorter, int longer, int trials, double noise, int seed, int gain)
    {
        var codec = new PayloadCodec(Key.DeriveSubkey("test/check"));
        var rng = new Random(seed);
        int byShorter = 0, byLonger = 0, wrong = 0;
        for (var t = 0; t < trials; t++)
        {
            var payload = (ulong)rng.NextInt64();
            var soft = codec.Encode(payload).Select(b => (b ? -1.0 : 1.0) + Gaussian(rng) * noise).ToArray();
            var a = Read(codec, soft, shorter);
            var b = Read(codec, soft, longer);
            if (a.CheckPasses && a.Payload == payload) byShorter++;
            if (b.CheckPasses && b.Payload == payload) byLonger++;
            if (b.CheckPasses && b.Payload != payload) wrong++;
        }
        Assert.Equal(0, wrong);
        Assert.True(byLonger >= byShorter + gain, $"{longer} words recovered {byLonger} of {trials}, {shorter} words {byShorter}");
    }

    private static (ulong Payload, bool CheckPasses) Read(PayloadCodec codec, double[] soft, int listSize)
    {
        if (listSize == 0) return codec.Decode(soft);
        var (payload, ok, _) = codec.DecodeList(soft, listSize);
        return (payload, ok);
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
