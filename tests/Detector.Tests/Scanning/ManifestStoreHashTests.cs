using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Provenance.Detector.Scanning;
using Provenance.Formats.Bmff;
using Provenance.Testing;

namespace Provenance.Detector.Tests.Scanning;

public sealed class ManifestStoreHashTests
{
    /// <summary>A JUMBF superbox standing in for a manifest store (the box parser checks only its size and type).</summary>
    private static readonly byte[] Store = Box("jumb", Encoding.ASCII.GetBytes("a manifest store stands here; the hash covers exactly these bytes"));

    [Fact]
    public async Task StoreInAC2paBox_HashesTheStoreWithoutItsPadding()
    {
        var file = Concat(Ftyp(), C2paBmffBox.CreateManifest(Store, paddingLength: 32), Box("mdat", new byte[64]));

        var hash = await ManifestStoreHash.ComputeAsync(new MemoryStream(file), CancellationToken.None);

        Assert.Equal(SHA256.HashData(Store), hash);
    }

    [Fact]
    public async Task TwoManifestStores_GiveNoHash()
    {
        var file = Concat(Ftyp(), C2paBmffBox.CreateManifest(Store), C2paBmffBox.CreateManifest(Store), Box("mdat", new byte[8]));
        Assert.Null(await ManifestStoreHash.ComputeAsync(new MemoryStream(file), CancellationToken.None));
    }

    [Fact]
    public async Task PlainClipWithoutCredentials_GivesNoHash()
    {
        var clip = await TestClips.CreateAsync(TestClipKind.SmpteHdBars, 320, 180, 1, 25);
        Assert.Null(await ManifestStoreHash.ComputeAsync(clip, CancellationToken.None));
    }

    [Theory]
    [InlineData("text")]
    [InlineData("truncated-c2pa-box")]
    [InlineData("c2pa-box-without-purpose")]
    public async Task HostileInput_GivesNoHashAndNoException(string kind)
    {
        var box = C2paBmffBox.CreateManifest(Store);
        var file = kind switch
        {
            "text" => Encoding.ASCII.GetBytes("this is not an ISO BMFF file at all"),
            "truncated-c2pa-box" => Concat(Ftyp(), box[..(box.Length / 2)]),
            _ => Concat(Ftyp(), box[..28]), // header, uuid and version only: no purpose string
        };
        if (kind == "c2pa-box-without-purpose")
        {
            BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(16), 28);
        }
        Assert.Null(await ManifestStoreHash.ComputeAsync(new MemoryStream(file), CancellationToken.None));
    }

    private static byte[] Ftyp() => Box("ftyp", [.. "isom"u8, 0, 0, 0, 0]);

    private static byte[] Box(string type, byte[] content)
    {
        var box = new byte[8 + content.Length];
        BinaryPrimitives.WriteUInt32BigEndian(box, (uint)box.Length);
        Encoding.ASCII.GetBytes(type).CopyTo(box, 4);
        content.CopyTo(box, 8);
        return box;
    }

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
