using Provenance.Signer.Certificates;
using Provenance.Signer.Embedding;
using Provenance.Signer.Verification;

namespace Provenance.Signer.Tests;

/// <summary>Stamping a clip that already has Content Credentials keeps its manifest as the parent ingredient.</summary>
public sealed class IngredientTests
{
    [Fact]
    public async Task StampingAC2paRsSignedClip_KeepsItsManifestAsParent_AndBothVerifiersAgree()
    {
        using var temp = new TempFolder();
        var (cert, key, theirCa) = await VerifierInteropTests.C2paRsCredentialsAsync("es256", temp);
        var parent = temp.File("parent.mp4");
        await C2paCheck.SignAsync(await TestClips.PlainAsync(), parent, cert, key, "es256");
        var creds = TestCredentials.For(SigningAlgorithm.Es256);
        var stamped = temp.File("stamped.mp4");
        using (var signer = creds.Signer())
            await Mp4Embedder.SignAsync(parent, stamped, InteropSigningTests.AiManifest("stamped.mp4"), signer, null, CancellationToken.None);

        var trust = TrustList.FromPemFiles([theirCa]);
        var ours = await C2paVerifier.VerifyAsync(stamped, new TrustList([creds.Root, .. trust.Anchors]), CancellationToken.None);
        var ourCa = creds.WriteRootPem(temp);
        var both = temp.File("both.pem");
        await File.WriteAllTextAsync(both, await File.ReadAllTextAsync(ourCa) + await File.ReadAllTextAsync(theirCa));
        var theirs = (await C2paCheck.CheckAsync(stamped, both))[0];

        Assert.True(theirs.State == "Trusted", theirs.Json);
        Assert.Equal(C2paState.Trusted, ours.State);
        Assert.Contains(ours.Statuses, s => s.Code == "ingredient.manifest.validated");
        var ingredient = Assert.Single(ours.ActiveManifest!.Ingredients);
        Assert.Equal("parentOf", ingredient.Relationship);
        Assert.Equal(["c2pa.opened", "c2pa.edited", "c2pa.watermarked"], ours.ActiveManifest.Actions.Select(a => a.Action));
        Assert.Equal(await EmbeddingTests.FrameHashesAsync(parent), await EmbeddingTests.FrameHashesAsync(stamped));
    }
}
