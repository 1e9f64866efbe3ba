using Provenance.Formats.Bmff;
using Provenance.Signer.Certificates;
using Provenance.Signer.Embedding;
using Provenance.Signer.Verification;

namespace Provenance.Signer.Tests;

/// <summary>Broken and hostile files: results are statuses, never exceptions; a damaged C2PA box is Invalid, never Absent.</summary>
public sealed class HostileInputTests
{
    private static async Task<(byte[] Bytes, long StoreStart, long StoreEnd)> SignedBytesAsync(TempFolder temp)
    {
        var output = temp.File("signed.mp4");
        using (var signer = TestCredentials.For(SigningAlgorithm.Es256).Signer())
            await Mp4Embedder.SignAsync(await TestClips.FastStartAsync(), output, InteropSigningTests.AiManifest("x"), signer, null, CancellationToken.None);
        var bytes = await File.ReadAllBytesAsync(output);
        int ftyp = (bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3];
        int uuid = (bytes[ftyp] << 24) | (bytes[ftyp + 1] << 16) | (bytes[ftyp + 2] << 8) | bytes[ftyp + 3];
        return (bytes, ftyp, ftyp + uuid);
    }

    private static Task<C2paValidationResult> VerifyAsync(byte[] bytes) =>
        C2paVerifier.VerifyAsync(new MemoryStream(bytes, writable: false), TestCredentials.For(SigningAlgorithm.Es256).Trust(), CancellationToken.None);

    [Fact]
    public async Task FlippingAnyByteOfTheManifestBox_NeverThrows_AndNeverGivesAbsent()
    {
        using var temp = new TempFolder();
        var (bytes, start, end) = await SignedBytesAsync(temp);
        var random = new Random(1234);
        int trusted = 0;
        // Every header byte of the uuid box, then a seeded sample of the store.
        var offsets = Enumerable.Range((int)start, 64).Concat(Enumerable.Range(0, 400).Select(_ => random.Next((int)start + 64, (int)end)));
        foreach (int at in offsets)
        {
            var copy = (byte[])bytes.Clone();
            copy[at] ^= (byte)(1 << random.Next(8));
            var result = await VerifyAsync(copy);
            if (at - start < 24 && at - start >= 4) continue; // the box type or extended type: no longer a C2PA box
            Assert.NotEqual(C2paState.Absent, result.State);
            if (result.State == C2paState.Trusted) trusted++;
            else Assert.NotEmpty(result.Failures);
        }
        // Only padding bytes (COSE pad, unsigned by design) may be flipped without effect.
        Assert.True(trusted < 300, $"{trusted} flips left the file trusted");
    }

    [Fact]
    public async Task TruncatingTheFileAnywhereInOrAfterTheManifest_GivesInvalid()
    {
        using var temp = new TempFolder();
        var (bytes, start, end) = await SignedBytesAsync(temp);
        for (long cut = start + 24; cut < bytes.Length; cut += Math.Max(1, (bytes.Length - start) / 97))
        {
            var result = await VerifyAsync(bytes[..(int)cut]);
            Assert.Equal(C2paState.Invalid, result.State);
            Assert.NotEmpty(result.Failures);
        }
        _ = end;
    }

    [Theory]
    [InlineData(0xFFFFFFFFu)]
    [InlineData(0x7FFFFFFFu)]
    [InlineData(9u)]
    [InlineData(0u)]
    public async Task AbsurdStoreSizes_GiveInvalid(uint size)
    {
        using var temp = new TempFolder();
        var (bytes, start, _) = await SignedBytesAsync(temp);
        int store = (int)start + C2paBmffBox.CreateManifest([]).Length; // the box header, purpose and merkle offset
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(store), size);
        var result = await VerifyAsync(bytes);
        Assert.Equal(C2paState.Invalid, result.State);
    }

    [Fact]
    public async Task DeeplyNestedJumbf_GivesInvalidWithoutStackOverflow()
    {
        using var temp = new TempFolder();
        var (bytes, start, _) = await SignedBytesAsync(temp);
        // Replace the store with 2,000 nested superboxes, each with a minimal description box.
        const int depth = 2000;
        const int jumd = 8 + 16 + 1;
        var nested = new byte[depth * (8 + jumd)];
        for (int i = 0; i < depth; i++)
        {
            int at = i * (8 + jumd);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(nested.AsSpan(at), (uint)(nested.Length - at));
            "jumb"u8.CopyTo(nested.AsSpan(at + 4));
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(nested.AsSpan(at + 8), jumd);
            "jumd"u8.CopyTo(nested.AsSpan(at + 12));
        }
        var file = bytes[..(int)start].Concat(C2paBmffBox.CreateManifest(nested)).ToArray();
        var result = await VerifyAsync(file);
        Assert.Equal(C2paState.Invalid, result.State);
    }

    [Fact]
    public async Task RandomBytes_AreAbsent()
    {
        var result = await VerifyAsync(System.Security.Cryptography.RandomNumberGenerator.GetBytes(10_000));
        Assert.Equal(C2paState.Absent, result.State);
        Assert.Null(result.ActiveManifest);
    }

    [Fact]
    public async Task UnsignedClip_IsAbsent()
    {
        var result = await C2paVerifier.VerifyAsync(await TestClips.PlainAsync(), TrustList.None, CancellationToken.None);
        Assert.Equal(C2paState.Absent, result.State);
        Assert.Empty(result.Statuses);
    }
}
