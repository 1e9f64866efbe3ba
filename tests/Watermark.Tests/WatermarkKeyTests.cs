namespace Provenance.Watermark.Tests;

public sealed class WatermarkKeyTests
{
    [Fact]
    public void Key_ParsedFromHexOrBase64_DerivesTheSameSubkeys()
    {
        var bytes = Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray();
        var fromHex = WatermarkKey.Parse(Convert.ToHexString(bytes));
        var fromBase64 = WatermarkKey.Parse(Convert.ToBase64String(bytes));
        Assert.Equal(fromHex.DeriveSubkey("p"), fromBase64.DeriveSubkey("p"));
        Assert.NotEqual(fromHex.DeriveSubkey("p"), fromHex.DeriveSubkey("q"));
    }

    [Fact]
    public void Key_ToString_NeverShowsTheSecret()
    {
        var hex = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
        var text = WatermarkKey.Parse(hex).ToString();
        Assert.DoesNotContain("00112233", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("redacted", text);
    }

    [Theory]
    [InlineData("00112233")]
    [InlineData("not a key at all")]
    public void Key_TooShortOrMalformed_IsRejected(string text) =>
        Assert.ThrowsAny<FormatException>(() => WatermarkKey.Parse(text));

    [Fact]
    public void LoadOrCreate_WithoutConfiguredKey_GeneratesOnceAndReusesIt()
    {
        var folder = Path.Combine(Path.GetTempPath(), "wm-key-" + Guid.NewGuid().ToString("N"));
        try
        {
            var first = WatermarkKey.LoadOrCreate(null, folder);
            var second = WatermarkKey.LoadOrCreate("", folder);
            Assert.Equal(first.Fingerprint, second.Fingerprint);
            var file = Path.Combine(folder, WatermarkKey.DefaultFileName);
            Assert.True(File.Exists(file));
            if (!OperatingSystem.IsWindows())
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            var configured = WatermarkKey.LoadOrCreate("ffeeddccbbaa99887766554433221100", folder);
            Assert.NotEqual(first.Fingerprint, configured.Fingerprint);
        }
        finally { Directory.Delete(folder, true); }
    }
}
