using Provenance.Formats.Jumbf;

namespace Provenance.Formats.Tests.Jumbf;


public sealed class JumbfTypesTests
{
    [Theory]
    [InlineData("ManifestStore", "63327061-0011-0010-8000-00aa00389b71")]
    [InlineData("StandardManifest", "63326d61-0011-0010-8000-00aa00389b71")]
    [InlineData("AssertionStore", "63326173-0011-0010-8000-00aa00389b71")]
    [InlineData("Claim", "6332636c-0011-0010-8000-00aa00389b71")]
    [InlineData("Signature", "63326373-0011-0010-8000-00aa00389b71")]
    [InlineData("Cbor", "63626f72-0011-0010-8000-00aa00389b71")]
    [InlineData("Json", "6a736f6e-0011-0010-8000-00aa00389b71")]
    public void TypeUuids_MatchTheC2paSpecification(string name, string uuid)
    {
        var actual = (Guid)typeof(JumbfTypes).GetProperty(name)!.GetValue(null)!;
        Assert.Equal(Guid.Parse(uuid), actual);
    }

    [Fact]
    public void TypeUuids_AreWrittenBigEndianAsTheSpecPrintsThem()
    {
        var bytes = new byte[16];
        JumbfTypes.Signature.TryWriteBytes(bytes, bigEndian: true, out _);
        Assert.Equal("c2cs"u8.ToArray(), bytes[..4]);
    }
}
