using System.Security.Cryptography;
using Provenance.Signer.Embedding;
using Provenance.Formats.Bmff;
using Provenance.Signer.Verification;

namespace Provenance.Signer.Tests;

/// <summary>Signing keeps the media intact and works on the container layouts encoders produce.</summary>
public sealed class EmbeddingTests
{
    public static TheoryData<string> Layouts => new() { "plain", "faststart", "fragmented", "mov" };

    private static Task<string> ClipAsync(string layout) => layout switch
    {
        "plain" => TestClips.PlainAsync(),
        "faststart" => TestClips.FastStartAsync(),
        "fragmented" => TestClips.FragmentedAsync(),
        _ => TestClips.MovAsync(),
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public async Task SignedClip_DecodesToTheSameFramesAsTheInput_AndPlacesTheManifestAfterFtyp(string layout)
    {
        using var temp = new TempFolder();
        var input = await ClipAsync(layout);
        var output = temp.File("signed" + Path.GetExtension(input));
        var creds = TestCredentials.For(SigningAlgorithm.Es256);
        using (var signer = creds.Signer())
            await Mp4Embedder.SignAsync(input, output, InteropSigningTests.AiManifest("clip"), signer, null, CancellationToken.None);

        Assert.Equal(await FrameHashesAsync(input), await FrameHashesAsync(output));
        await using (var stream = File.OpenRead(output))
        {
            var boxes = BmffLayout.Read(stream).Boxes;
            Assert.Equal("ftyp", boxes[0].Type);
            Assert.True(Mp4Embedder.IsC2paBox(boxes[1]));
            Assert.Single(boxes, Mp4Embedder.IsC2paBox);
        }
        var result = await C2paVerifier.VerifyAsync(output, creds.Trust(), CancellationToken.None);
        Assert.Equal(C2paState.Trusted, result.State);
        var theirs = (await C2paCheck.CheckAsync(output, creds.WriteRootPem(temp)))[0];
        Assert.True(theirs.State == "Trusted", theirs.Json);
    }

    [Fact]
    public async Task SigningASignedClipAgain_ReplacesTheOldManifestBox()
    {
        using var temp = new TempFolder();
        var creds = TestCredentials.For(SigningAlgorithm.Es256);
        var once = temp.File("once.mp4");
        var twice = temp.File("twice.mp4");
        using var signer = creds.Signer();
        var first = await Mp4Embedder.SignAsync(await TestClips.PlainAsync(), once, InteropSigningTests.AiManifest("once"), signer, null, CancellationToken.None);
        var second = await Mp4Embedder.SignAsync(once, twice, InteropSigningTests.AiManifest("twice"), signer, null, CancellationToken.None);

        Assert.NotEqual(first.ManifestLabel, second.ManifestLabel);
        Assert.Equal(new FileInfo(once).Length - (first.OutputLength - second.OutputLength), new FileInfo(twice).Length);
        var result = await C2paVerifier.VerifyAsync(twice, creds.Trust(), CancellationToken.None);
        Assert.Equal(C2paState.Trusted, result.State);
        Assert.Equal(second.ManifestLabel, result.ActiveManifest!.Label);
        Assert.Equal(await FrameHashesAsync(await TestClips.PlainAsync()), await FrameHashesAsync(twice));
    }

    [Fact]
    public async Task Signing_ANonMp4_FailsWithEmbeddingException()
    {
        using var temp = new TempFolder();
        var input = temp.File("not.mp4");
        await File.WriteAllBytesAsync(input, RandomNumberGenerator.GetBytes(4096));
        using var signer = TestCredentials.For(SigningAlgorithm.Es256).Signer();
        await Assert.ThrowsAsync<EmbeddingException>(() =>
            Mp4Embedder.SignAsync(input, temp.File("out.mp4"), InteropSigningTests.AiManifest("x"), signer, null, CancellationToken.None));
        Assert.False(File.Exists(temp.File("out.mp4")));
    }

    // ffmpeg's per-frame MD5 of the decoded video (and audio when present).
    internal static async Task<string> FrameHashesAsync(string file)
    {
        var (code, stdout, stderr) = await C2paCheck.RunProcessAsync("ffmpeg",
            ["-hide_banner", "-nostdin", "-v", "error", "-i", file, "-f", "framemd5", "-"], Path.GetTempPath());
        Assert.True(code == 0, stderr);
        Assert.Contains("0,", stdout);
        return string.Join('\n', stdout.Split('\n').Where(l => !l.StartsWith('#')));
    }
}
