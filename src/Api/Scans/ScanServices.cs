using Provenance.Api.Ledger;
using Provenance.Api.Verify;
using Provenance.Detector.Classification;
using Provenance.Detector.Faces;
using Provenance.Detector.Scanning;
using Provenance.Inference;
using Provenance.Ledger.Log;
using Provenance.Media;
using Provenance.Watermark;

namespace Provenance.Api.Scans;

/// <summary>What one scan may change from the configured defaults (the CLI's options, a job's input).</summary>
public sealed record ScanSetup
{
    /// <summary>Frames per second sampled; null: <c>Provenance:Scan:SampleRate</c>.</summary>
    public double? SampleRate { get; init; }

    /// <summary>Classifier <c>.onnx</c>; null: <c>Provenance:Detector:ModelPath</c>, else the shipped baseline.</summary>
    public string? ModelPath { get; init; }

    /// <summary>RetinaFace <c>.onnx</c>; null: <c>Provenance:Detector:FaceDetectorPath</c>, else no face detection.</summary>
    public string? FaceDetectorPath { get; init; }
}

/// <summary>
/// Builds scan pipelines from configuration, the one place the service's scan jobs and <c>provenance scan</c> get them:
/// Content Credentials against the service's trust list (<c>Provenance:Detector:TrustAnchorsPath</c>, else
/// <see cref="ServiceTrust"/> with its revocations), the watermark with the service's key, the ledger lookups (payload,
/// manifest hash, perceptual fingerprints; the database is migrated first when it never was, and the lookups are not
/// checked, with the reason, when it is unavailable), the
/// classifier and the optional face detector. Models are loaded once per path and shared by every scan of the process.
/// </summary>
public sealed class ScanServices(FfmpegRunner runner, LedgerProvider ledger, ServiceTrust trust, IConfiguration configuration) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, (FrameClassifier? Classifier, string? Reason)> _classifiers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (RetinaFaceDetector? Detector, string? Reason)> _faceDetectors = new(StringComparer.Ordinal);

    public string DataDirectory => configuration["Provenance:DataDirectory"] ?? ".data";

    /// <summary>Where the scanner's models and trust anchors are, from <c>Provenance:Detector</c> and <paramref name="setup"/>.</summary>
    public DetectorOptions DetectorOptions(ScanSetup? setup = null)
    {
        var section = configuration.GetSection(Detector.Scanning.DetectorOptions.ConfigurationSection);
        return new DetectorOptions
        {
            ModelPath = setup?.ModelPath ?? section["ModelPath"],
            TrustAnchorsPath = section["TrustAnchorsPath"],
            FaceDetectorPath = setup?.FaceDetectorPath ?? section["FaceDetectorPath"],
            Inference = configuration.GetSection(InferenceOptions.ConfigurationSection).Get<InferenceOptions>() ?? new InferenceOptions(),
        };
    }

    /// <summary>Limits and sampling from <c>Provenance:Scan</c>, with the setup's sampling rate.</summary>
    public ScanOptions ScanOptions(ScanSetup? setup = null)
    {
        var options = configuration.GetSection(Detector.Scanning.ScanOptions.ConfigurationSection).Get<ScanOptions>() ?? new ScanOptions();
        return setup?.SampleRate is { } rate ? options with { SampleRate = rate } : options;
    }

    /// <summary>
    /// A pipeline with every part that is available now. <paramref name="warn"/> hears about parts that are missing
    /// because something is broken (the ledger database down), not about parts that are simply not configured.
    /// </summary>
    public async Task<ScanPipeline> CreatePipelineAsync(ScanSetup? setup, Action<string>? warn, CancellationToken ct)
    {
        var detectorOptions = DetectorOptions(setup);
        var (classifier, classifierMissing) = await ClassifierAsync(detectorOptions, ct);
        var (faceDetector, _) = await FaceDetectorAsync(detectorOptions, ct);
        LedgerReader? reader = null;
        string? ledgerMissing = null;
        try
        {
            // A fresh data folder's database has no schema yet: without it every lookup fails, so a scan there would
            // report its ledger and fingerprint parts as errors instead of "not found".
            await ledger.EnsureSchemaAsync(ct);
            reader = await ledger.GetReaderAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            ledgerMissing = $"the ledger database is not available ({e.Message})";
            warn?.Invoke(ledgerMissing);
        }
        var trustList = detectorOptions.TrustAnchorsPath is null ? trust.Load() : null;
        return ScannerFactory.Create(runner, ScanOptions(setup), detectorOptions, classifier, classifierMissing,
            ScannerFactory.FindWatermarkKey(configuration[WatermarkKey.ConfigurationKey], DataDirectory), reader, faceDetector,
            trustList, ledgerMissing);
    }

    private Task<(FrameClassifier? Classifier, string? Reason)> ClassifierAsync(DetectorOptions options, CancellationToken ct) =>
        CachedAsync(_classifiers, options.ModelPath ?? "", () => ScannerFactory.LoadClassifierAsync(options, ct), ct);

    private Task<(RetinaFaceDetector? Detector, string? Reason)> FaceDetectorAsync(DetectorOptions options, CancellationToken ct) =>
        CachedAsync(_faceDetectors, options.FaceDetectorPath ?? "", () => ScannerFactory.LoadFaceDetectorAsync(options, ct), ct);

    private async Task<T> CachedAsync<T>(Dictionary<string, T> cache, string key, Func<Task<T>> load, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (!cache.TryGetValue(key, out var value))
            {
                value = await load();
                cache[key] = value;
            }
            return value;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        foreach (var (classifier, _) in _classifiers.Values)
        {
            classifier?.Dispose();
        }
        foreach (var (detector, _) in _faceDetectors.Values)
        {
            detector?.Dispose();
        }
        _classifiers.Clear();
        _faceDetectors.Clear();
        _gate.Dispose();
    }
}
