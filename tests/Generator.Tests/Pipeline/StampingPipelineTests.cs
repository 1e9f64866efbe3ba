using Provenance.Generator.Backends;
using Provenance.Media.Fingerprints;
using Provenance.Generator.Pipeline;
using Provenance.Generator.Procedural;
using Provenance.Generator.Safety;
using Provenance.Signer.Verification;
using Provenance.Testing;

namespace Provenance.Generator.Tests.Pipeline;

public sealed class StampingPipelineTests : IDisposable
{
    private readonly PipelineFixture _parts = new();
    private readonly TempFolder _dir = new("provenance-generator-");

    public void Dispose()
    {
        _parts.Dispose();
        _dir.Dispose();
    }

    private static GenerationRequest Request(string prompt, double seconds = 2) => new(prompt, 11, 640, 360, 24, seconds);

    [Fact]
    public async Task GeneratedClip_IsTrustedWatermarkedRecordedAndReceipted()
    {
        var output = _dir.File("clip.mp4");
        var request = new GenerationRequest("a red balloon over the ocean at sunset, slow pan right", 11, 1280, 720, 24, 6);
        var result = await _parts.Pipeline().GenerateAsync(request,
            new ProceduralBackend(), output, null, CancellationToken.None);

        Assert.Equal(output, result.ClipPath);
        Assert.Equal(["clip.mp4", "clip.mp4.receipt.json"], ClipChecks.FilesIn(_dir.Path));

        // The receipt beside the clip has the documented keys.
        var receipt = StampReceipt.Parse(await File.ReadAllTextAsync(StampReceipt.PathFor(output)));
        Assert.Matches("^[0-9a-f]{16}$", receipt.AssetId);
        Assert.Equal("procedural", receipt.Backend);
        Assert.Equal("cpu", receipt.Device);
        Assert.Equal(144, receipt.Frames);
        using (var json = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(StampReceipt.PathFor(output))))
        {
            foreach (var key in new[] { "assetId", "manifestHash", "ledgerIndex", "inclusionProof", "checkpoint", "backend", "device" })
            {
                Assert.True(json.RootElement.TryGetProperty(key, out _), key);
            }
        }

        // C2PA: Trusted under the project's CA, with the watermark and fingerprint soft bindings.
        var verdict = await C2paVerifier.VerifyAsync(output, _parts.Trust, CancellationToken.None);
        Assert.True(verdict.State == C2paState.Trusted, string.Join("; ", verdict.Failures.Select(f => f.Code + " " + f.Explanation)));
        await _parts.AssertTrustedByC2paRsAsync(output);

        // Ledger: one entry, and its receipt verifies offline against the signed checkpoint.
        var entry = Assert.Single(_parts.Ledger.Entries);
        Assert.Equal(receipt.AssetId, entry.AssetId);
        Assert.Equal(receipt.ManifestHash, entry.ManifestHash);
        Assert.Equal(1, await _parts.Ledger.CountAsync());
        Assert.NotNull(receipt.TlogProof);
        Assert.Equal(receipt.AssetId, _parts.Ledger.VerifyReceipt(receipt.TlogProof));
        var forged = receipt.TlogProof.Replace("\nindex 0\n", "\nindex 1\n", StringComparison.Ordinal);
        Assert.ThrowsAny<Exception>(() => _parts.Ledger.VerifyReceipt(forged));

        // The watermark decodes to the asset id; a platform-style re-encode drops the manifest.
        var direct = await ClipChecks.ReadWatermarkAsync(_parts.Runner, _parts.WatermarkKey, output);
        Assert.True(direct.Found, $"p={direct.PValue} note={direct.Note}");
        Assert.Equal(receipt.AssetId, direct.PayloadHex);
        var platform = _dir.File("platform.mp4");
        await ClipChecks.PlatformReencodeAsync(output, platform, 720);
        Assert.Equal(C2paState.Absent, (await C2paVerifier.VerifyAsync(platform, _parts.Trust, CancellationToken.None)).State);
        var reread = await ClipChecks.ReadWatermarkAsync(_parts.Runner, _parts.WatermarkKey, platform);
        Assert.True(reread.Found && reread.PayloadHex == receipt.AssetId,
            $"after re-encode: found={reread.Found} payload={reread.PayloadHex} p={reread.PValue} sync={reread.SyncScore} bits={reread.RawBitAgreement}");

        // One fingerprint per second of video, each close to the re-encoded copy's frame at that second.
        Assert.Equal(6, receipt.Fingerprints.Count);
        var reencoded = await ClipChecks.FrameHashesAsync(platform, everyNthFrame: 24);
        Assert.Equal(6, reencoded.Count);
        for (var second = 0; second < 6; second++)
        {
            var distance = PerceptualHash.Distance(reencoded[second], Convert.ToUInt64(receipt.Fingerprints[second], 16));
            Assert.True(distance <= 10, $"second {second}: {distance} bits apart");
        }
        Assert.Contains(receipt.Fingerprints, f => f != receipt.Fingerprints[0]);
    }

    [Fact]
    public async Task RefusedPrompt_WritesNoFileAndNoLedgerEntry()
    {
        var gate = SafetyGate.Create(new SafetyOptions { AuditLogPath = _dir.File("audit/safety.jsonl") });
        var output = _dir.File("out/clip.mp4");
        var ex = await Assert.ThrowsAsync<PromptRefusedException>(() => _parts.Pipeline(gate).GenerateAsync(
            Request("a man being beheaded"), new ProceduralBackend(), output, null, CancellationToken.None));

        Assert.Equal("violence.graphic", ex.Decision.ReasonCode);
        Assert.False(Directory.Exists(_dir.File("out")) && Directory.EnumerateFileSystemEntries(_dir.File("out")).Any());
        Assert.Empty(_parts.Ledger.Entries);
        Assert.Equal(0, await _parts.Ledger.CountAsync());
        Assert.Contains("violence.graphic", await File.ReadAllTextAsync(_dir.File("audit/safety.jsonl")));
    }

    [Fact]
    public async Task CancelledGeneration_LeavesNothingBehind()
    {
        using var cts = new CancellationTokenSource();
        var progress = new SynchronousProgress(p =>
        {
            if (p.Stage == StampingStage.Generating && p.FramesDone >= 16)
            {
                cts.Cancel();
            }
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _parts.Pipeline().GenerateAsync(
            Request("rain over a city at night", seconds: 10), new ProceduralBackend(), _dir.File("clip.mp4"), progress, cts.Token));

        Assert.Empty(ClipChecks.FilesIn(_dir.Path));
        Assert.Empty(_parts.Ledger.Entries);
        Assert.Equal(0, await _parts.Ledger.CountAsync());
    }

    [Fact]
    public async Task FailingFrameSource_LeavesNothingBehind()
    {
        var stream = new FrameStream(FailingFrames(), 320, 180, 24, 48, "test", "cpu", "failing/1");
        await Assert.ThrowsAsync<InvalidOperationException>(() => _parts.Pipeline().StampAsync(stream, _dir.File("clip.mp4"), null, null, CancellationToken.None));
        Assert.Empty(ClipChecks.FilesIn(_dir.Path));
        Assert.Empty(_parts.Ledger.Entries);
        Assert.Equal(0, await _parts.Ledger.CountAsync());
    }

    private static async IAsyncEnumerable<Frames.YuvFrame> FailingFrames()
    {
        var backend = new ProceduralBackend();
        var n = 0;
        await foreach (var frame in backend.GenerateAsync(new GenerationRequest("a desert", 1, 320, 180, 24, 2), Frames.FramePool.Shared, default))
        {
            if (++n == 10)
            {
                frame.Dispose();
                throw new InvalidOperationException("the model crashed");
            }
            yield return frame;
        }
    }

    [Fact]
    public void Recovery_ReleasesRecordedRunsAndDeletesUnrecordedLeftovers()
    {
        var recorded = StampingTempFiles.For(_dir.File("a.mp4"), "00000000000000aa");
        File.WriteAllText(recorded.Signed, "signed clip");
        File.WriteAllText(recorded.PendingReceipt, "{}");
        var unrecorded = StampingTempFiles.For(_dir.File("b.mp4"), "00000000000000bb");
        File.WriteAllText(unrecorded.Signed, "signed but not recorded");

        var released = StampingRecovery.Recover(_dir.Path, minimumAge: TimeSpan.Zero);

        Assert.Equal([_dir.File("a.mp4")], released);
        Assert.Equal(["a.mp4", "a.mp4.receipt.json"], ClipChecks.FilesIn(_dir.Path));
        Assert.Equal("signed clip", File.ReadAllText(_dir.File("a.mp4")));
    }

    private sealed class SynchronousProgress(Action<StampingProgress> action) : IProgress<StampingProgress>
    {
        public void Report(StampingProgress value) => action(value);
    }
}
