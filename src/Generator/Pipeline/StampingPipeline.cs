using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Provenance.Generator.Backends;
using Provenance.Media.Fingerprints;
using Provenance.Generator.Frames;
using Provenance.Generator.Safety;
using Provenance.Media;
using Provenance.Signer.Embedding;
using Provenance.Signer.Manifest;
using Provenance.Signer.Signing;
using Provenance.Signer.TimeStamping;
using Provenance.Watermark;

namespace Provenance.Generator.Pipeline;

/// <summary>
/// Makes a clip and releases it only with provenance: safety check → asset id → frames → watermark on every
/// frame (payload = asset id) → encode → perceptual fingerprints of the encoded file → signed C2PA manifest
/// embedded → ledger entry → release. Frames stream through a small bounded queue (generation overlaps the
/// encoder; no clip is ever held in memory). Everything is written under hidden temporary names in the
/// output folder; the clip appears at its path by one rename at the very end. If any step fails, is
/// cancelled or the process dies before the ledger append, no file appears and no ledger entry exists. The
/// ledger append comes before the rename (a clip must never be out without its record); from that point the
/// run no longer yields to cancellation, and a crash inside the remaining rename window leaves a signed
/// temporary file plus a pending receipt that <see cref="StampingRecovery"/> releases (rolls forward).
/// </summary>
public sealed partial class StampingPipeline
{
    public const string WatermarkAlgorithm = "org.provenance.watermark.v1";

    /// <summary>Perceptual fingerprints registered per clip at most (one per second; the ledger entry's limit).</summary>
    public const int MaxFingerprints = Provenance.Ledger.Log.LedgerEntry.MaxFingerprints;

    private readonly FfmpegRunner _runner;
    private readonly HardwareCapabilities? _hardware;
    private readonly WatermarkKey _watermarkKey;
    private readonly ISigner _signer;
    private readonly ITimeStamper? _timeStamper;
    private readonly ILedgerAppender _ledger;
    private readonly SafetyGate? _safety;
    private readonly StampingOptions _options;

    public StampingPipeline(FfmpegRunner runner, HardwareCapabilities? hardware, WatermarkKey watermarkKey, ISigner signer,
        ITimeStamper? timeStamper, ILedgerAppender ledger, SafetyGate? safety, StampingOptions? options = null)
    {
        _runner = runner ?? throw new ArgumentNullException(nameof(runner));
        _hardware = hardware;
        _watermarkKey = watermarkKey ?? throw new ArgumentNullException(nameof(watermarkKey));
        _signer = signer ?? throw new ArgumentNullException(nameof(signer));
        _timeStamper = timeStamper;
        _ledger = ledger ?? throw new ArgumentNullException(nameof(ledger));
        _safety = safety;
        _options = options ?? new StampingOptions();
    }

    /// <summary>
    /// Checks the prompt against the safety policy in force now (the decision is audited here, once per call:
    /// callers that look at the prompt earlier use <see cref="SafetyGate.ScreenAsync"/>, which records only
    /// refusals), then generates and stamps a clip. A refused prompt throws <see cref="PromptRefusedException"/>
    /// before anything is written to the output folder or the ledger.
    /// </summary>
    public async Task<StampResult> GenerateAsync(GenerationRequest request, IGenerationBackend backend, string outputPath,
        IProgress<StampingProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(backend);
        request.Validate();
        progress?.Report(new StampingProgress(StampingStage.Checking, 0, request.FrameCount));
        await CheckPromptAsync(request.Prompt, request.AuditSubject, cancellationToken).ConfigureAwait(false);
        var frames = backend.GenerateAsync(request, FramePool.Shared, cancellationToken);
        var stream = new FrameStream(frames, request.Width, request.Height, request.Fps, request.FrameCount, backend.Name, backend.Device, backend.ModelVersion);
        return await StampAsync(stream, outputPath, SHA256.HashData(Encoding.UTF8.GetBytes(request.Prompt)), progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Checks a prompt (for operations that take one) and audits the decision; throws
    /// <see cref="PromptRefusedException"/> when refused.</summary>
    /// <param name="subject">Caller identity or job id for the audit line, if known.</param>
    public async Task CheckPromptAsync(string prompt, string? subject, CancellationToken cancellationToken)
    {
        if (_safety is null)
        {
            return;
        }
        var decision = await _safety.CheckAsync(prompt, subject, cancellationToken).ConfigureAwait(false);
        if (!decision.Allowed)
        {
            throw new PromptRefusedException(decision);
        }
    }

    /// <summary>Stamps a stream of frames (generated, animated, extended, interpolated or imported) into <paramref name="outputPath"/>.</summary>
    public async Task<StampResult> StampAsync(FrameStream source, string outputPath, byte[]? promptSha256,
        IProgress<StampingProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var clock = Stopwatch.StartNew();
        var output = Path.GetFullPath(outputPath);
        var folder = Path.GetDirectoryName(output) ?? throw new ArgumentException($"'{outputPath}' has no folder", nameof(outputPath));
        Directory.CreateDirectory(folder);
        if (!_options.Overwrite && File.Exists(output))
        {
            throw new IOException($"'{output}' exists");
        }
        var assetId = AssetId.Allocate();
        var assetHex = AssetId.ToHex(assetId);
        var temp = StampingTempFiles.For(output, assetHex);
        var released = false;
        try
        {
            _options.Log?.Invoke($"asset {assetHex}: {source.Backend} on {source.Device}, {source.Width}x{source.Height} at {source.Fps} fps");
            var (framesWritten, encoder, fingerprints) = await EncodeWatermarkedAsync(source, assetId, temp.Encoded, progress, cancellationToken).ConfigureAwait(false);
            var frames = (int)framesWritten;
            _options.Log?.Invoke($"asset {assetHex}: encoded {frames} frames with {encoder}, {fingerprints.Count} fingerprints");

            progress?.Report(new StampingProgress(StampingStage.Signing, frames, source.FrameCount));
            var createdAt = DateTimeOffset.UtcNow;
            var durationMs = (long)Math.Round(frames * 1000.0 / source.Fps);
            var manifest = new ClipManifest
            {
                Title = Path.GetFileName(output),
                Generator = new SoftwareAgent($"Provenance generator ({source.Backend})", typeof(StampingPipeline).Assembly.GetName().Version?.ToString(3), source.Model),
                SoftBindings =
                [
                    new SoftBinding(WatermarkAlgorithm, PayloadBytes(assetId), 0, durationMs, "watermark"),
                    new SoftBinding(ClipFingerprinter.Algorithm, ClipFingerprinter.ToBytes(fingerprints), 0, durationMs, "fingerprint"),
                ],
                CreatedAt = createdAt,
                PromptSha256 = promptSha256,
            };
            var signed = await Mp4Embedder.SignAsync(temp.Encoded, temp.Signed, manifest, _signer, _timeStamper, cancellationToken,
                source.ParentClipPath).ConfigureAwait(false);
            File.Delete(temp.Encoded);
            var manifestHash = Convert.ToHexStringLower(signed.ManifestStoreSha256);

            progress?.Report(new StampingProgress(StampingStage.Recording, frames, source.FrameCount));
            cancellationToken.ThrowIfCancellationRequested();
            var entry = new LedgerEntry(assetHex, manifestHash, signed.ManifestLabel, fingerprints, source.Backend, source.Device, createdAt,
                Convert.ToHexStringLower(signed.SignatureSha256), Convert.ToHexStringLower(SHA256.HashData(_signer.Chain[0].RawData)));
            // The point of no return: once the ledger holds the entry, the clip is released whatever happens.
            var ledgerReceipt = await _ledger.AppendAsync(entry, CancellationToken.None).ConfigureAwait(false);
            var receipt = new StampReceipt
            {
                AssetId = assetHex,
                ManifestHash = manifestHash,
                ManifestLabel = signed.ManifestLabel,
                LedgerIndex = ledgerReceipt.Index,
                InclusionProof = ledgerReceipt.InclusionProof,
                Checkpoint = ledgerReceipt.Checkpoint,
                TlogProof = ledgerReceipt.TlogProof,
                Backend = source.Backend,
                Device = source.Device,
                Encoder = encoder,
                Model = source.Model,
                Width = source.Width,
                Height = source.Height,
                Fps = source.Fps,
                Frames = frames,
                Fingerprints = fingerprints.Select(f => f.ToString("x16", System.Globalization.CultureInfo.InvariantCulture)).ToList(),
                CreatedAt = createdAt,
            };
            await File.WriteAllTextAsync(temp.PendingReceipt, receipt.ToJson(), CancellationToken.None).ConfigureAwait(false);

            progress?.Report(new StampingProgress(StampingStage.Releasing, frames, source.FrameCount));
            var receiptPath = StampingRecovery.Release(temp, output);
            released = true;
            progress?.Report(new StampingProgress(StampingStage.Done, frames, source.FrameCount));
            _options.Log?.Invoke($"asset {assetHex}: released {output} (ledger index {receipt.LedgerIndex})");
            return new StampResult(output, receiptPath, receipt, clock.Elapsed);
        }
        finally
        {
            if (!released)
            {
                temp.DeleteUnreleased();
            }
        }
    }

    private static byte[] PayloadBytes(ulong assetId)
    {
        var bytes = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes, assetId);
        return bytes;
    }

    /// <summary>
    /// Runs generation and watermarking on one side of a bounded queue and the encoder on the other, so the
    /// two overlap. Returns the frames written, the encoder used and the perceptual fingerprints: one per second
    /// of video (the first frame of each second, after watermarking), at most <see cref="MaxFingerprints"/>,
    /// hashed from the luma already in memory, so registering them costs no second decode. What viewers get
    /// differs from these frames only by the encode, which moves a 32x32 area average by a level or two.
    /// </summary>
    private async Task<(long Frames, string Encoder, IReadOnlyList<ulong> Fingerprints)> EncodeWatermarkedAsync(FrameStream source, ulong assetId, string encodedPath,
        IProgress<StampingProgress>? progress, CancellationToken cancellationToken)
    {
        var sinkOptions = new FrameSinkOptions
        {
            Width = source.Width,
            Height = source.Height,
            FrameRate = new Rational(source.Fps, 1),
            Quality = _options.Quality,
            Preset = _options.Preset,
            Encoder = _options.Encoder,
            Timeout = TimeSpan.FromMinutes(30),
        };
        await using var sink = await FrameSink.StartAsync(_runner, encodedPath, sinkOptions, _hardware, cancellationToken).ConfigureAwait(false);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var queue = Channel.CreateBounded<YuvFrame>(new BoundedChannelOptions(Math.Max(1, _options.QueueFrames)) { SingleReader = true, SingleWriter = true });
        var embedder = new TiledWatermarkEmbedder(_watermarkKey, assetId);
        var fingerprints = new List<ulong>();
        var producer = Task.Run(async () =>
        {
            try
            {
                await foreach (var frame in source.Frames.WithCancellation(linked.Token).ConfigureAwait(false))
                {
                    try
                    {
                        if (frame.Width != source.Width || frame.Height != source.Height)
                        {
                            throw new InvalidOperationException($"frame {frame.Index} is {frame.Width}x{frame.Height}, the clip is {source.Width}x{source.Height}");
                        }
                        embedder.Embed(frame.Y, frame.Width, frame.Height, frame.Width, frame.Index);
                        if (frame.Index % source.Fps == 0 && fingerprints.Count < MaxFingerprints)
                        {
                            fingerprints.Add(PerceptualHash.ComputeFromLuma(frame.Y, frame.Width, frame.Height, frame.Width));
                        }
                        await queue.Writer.WriteAsync(frame, linked.Token).ConfigureAwait(false);
                    }
                    catch
                    {
                        frame.Dispose();
                        throw;
                    }
                }
                queue.Writer.Complete();
            }
            catch (Exception e)
            {
                queue.Writer.Complete(e);
            }
        }, CancellationToken.None);

        long written = 0;
        try
        {
            await foreach (var frame in queue.Reader.ReadAllAsync(linked.Token).ConfigureAwait(false))
            {
                using (frame)
                {
                    await sink.WriteFrameAsync(frame.Memory, linked.Token).ConfigureAwait(false);
                }
                written++;
                if (written % 8 == 0)
                {
                    progress?.Report(new StampingProgress(StampingStage.Generating, (int)written, source.FrameCount));
                }
            }
            await producer.ConfigureAwait(false);
            if (written == 0)
            {
                throw new InvalidOperationException("the frame source produced no frames");
            }
            var result = await sink.CompleteAsync(cancellationToken).ConfigureAwait(false);
            return (result.FramesWritten, result.Encoder, fingerprints);
        }
        catch
        {
            await linked.CancelAsync().ConfigureAwait(false);
            try
            {
                await producer.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
            while (queue.Reader.TryRead(out var left))
            {
                left.Dispose();
            }
            throw;
        }
    }
}
