using Provenance.Detector.Classification;
using Provenance.Detector.Sampling;
using Provenance.Inference;
using Provenance.Inference.ModelCards;
using Provenance.Media;
using Provenance.Ledger.Log;
using Provenance.Signer.Certificates;
using Provenance.Watermark;

namespace Provenance.Detector.Scanning;

/// <summary>Where the scanner finds its parts. Bound from configuration section <c>Provenance:Detector</c>.</summary>
public sealed record DetectorOptions
{
    public const string ConfigurationSection = "Provenance:Detector";

    /// <summary>The classifier's <c>.onnx</c> (its card beside it). Null: the shipped baseline, found under models/.</summary>
    public string? ModelPath { get; init; }

    /// <summary>PEM file of trust anchors for Content Credentials. Null: no signer is trusted (valid-untrusted at best).</summary>
    public string? TrustAnchorsPath { get; init; }

    /// <summary>Optional RetinaFace model (npm retinaface@0.0.6 mnet.25_v2.onnx; non-commercial weights). Null: no
    /// face detection (full-frame models only; face-crop models abstain).</summary>
    public string? FaceDetectorPath { get; init; }

    public InferenceOptions Inference { get; init; } = new();
}

/// <summary>
/// Builds a <see cref="ScanPipeline"/> from what is available: a part whose piece is missing or refused becomes
/// "not checked" with the reason, so a scan always runs.
/// </summary>
public static class ScannerFactory
{
    /// <summary>The shipped baseline's file name under models/.</summary>
    public const string ShippedModelFile = "baseline-ganfaces.onnx";

    /// <summary>
    /// The shipped model: models/baseline-ganfaces.onnx in the application folder or in a folder above it or above
    /// the working directory (the repository root when run from a checkout).
    /// </summary>
    public static string? FindShippedModel()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "models", ShippedModelFile);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }
        return null;
    }

    /// <summary>The classifier stage, or the reason there is none.</summary>
    public static async Task<(FrameClassifier? Classifier, string? Reason)> LoadClassifierAsync(DetectorOptions options, CancellationToken cancellationToken)
    {
        var path = options.ModelPath ?? FindShippedModel();
        if (path is null)
        {
            return (null, $"no classifier model is configured ({DetectorOptions.ConfigurationSection}:ModelPath) and models/{ShippedModelFile} was not found");
        }
        try
        {
            return (await FrameClassifier.LoadAsync(path, options.Inference, cancellationToken: cancellationToken).ConfigureAwait(false), null);
        }
        catch (ModelCardException e)
        {
            return (null, $"the model was refused: {e.Message}");
        }
        catch (InferenceException e)
        {
            return (null, $"ONNX Runtime could not load the model: {e.Message}");
        }
    }

    /// <summary>The optional face detector, or the reason there is none (never an exception for a missing file).</summary>
    public static async Task<(Faces.RetinaFaceDetector? Detector, string? Reason)> LoadFaceDetectorAsync(DetectorOptions options, CancellationToken cancellationToken)
    {
        if (options.FaceDetectorPath is not { } path)
        {
            return (null, "no face detector is configured");
        }
        try
        {
            return (await Faces.RetinaFaceDetector.LoadAsync(path, options.Inference, cancellationToken).ConfigureAwait(false), null);
        }
        catch (Exception e) when (e is ModelCardException or InferenceException or IOException or UnauthorizedAccessException)
        {
            return (null, $"the face detector could not be loaded: {e.Message}");
        }
    }

    /// <summary>
    /// The service's watermark key, without ever creating one (a new key could not read existing marks): the
    /// configured value (<see cref="WatermarkKey.ConfigurationKey"/>) or the key file in the data folder; null when neither.
    /// </summary>
    public static WatermarkKey? FindWatermarkKey(string? configuredValue, string dataDirectory)
    {
        if (!string.IsNullOrWhiteSpace(configuredValue) || File.Exists(Path.Combine(dataDirectory, WatermarkKey.DefaultFileName)))
        {
            return WatermarkKey.LoadOrCreate(configuredValue, dataDirectory);
        }
        return null;
    }

    /// <summary>
    /// A pipeline with every part this build has: Content Credentials always (against <paramref name="trust"/>, else the
    /// PEM file of <see cref="DetectorOptions.TrustAnchorsPath"/>, else no trusted signer); the watermark when a key is
    /// given; the ledger lookups (watermark payload, manifest hash, perceptual fingerprints) when a reader is given, else
    /// not checked for <paramref name="ledgerMissingReason"/>; the classifier given (or its missing reason).
    /// </summary>
    public static ScanPipeline Create(FfmpegRunner runner, ScanOptions scanOptions, DetectorOptions detectorOptions,
        FrameClassifier? classifier, string? classifierMissingReason, WatermarkKey? watermarkKey = null, LedgerReader? ledger = null,
        Faces.RetinaFaceDetector? faceDetector = null, TrustList? trust = null, string? ledgerMissingReason = null)
    {
        var noLedger = ledgerMissingReason ?? "no ledger database is connected to this scanner";
        var missing = new Dictionary<string, string>
        {
            ["watermark"] = $"no watermark key is configured ({WatermarkKey.ConfigurationKey} or {WatermarkKey.DefaultFileName} in the data folder)",
            ["ledger"] = noLedger,
            ["fingerprint"] = $"{noLedger} (the fingerprint index is the ledger's)",
        };
        if (classifierMissingReason is not null)
        {
            missing["classifier"] = classifierMissingReason;
        }
        var components = new ScanComponents
        {
            Credentials = new C2paCredentialsCheck(trust ?? (detectorOptions.TrustAnchorsPath is { } pem
                ? TrustList.FromPemFiles([pem]) : TrustList.None)),
            Watermark = watermarkKey is null ? null : new WatermarkStage(watermarkKey),
            Ledger = ledger is null ? null : new LedgerLookup(ledger),
            Fingerprint = ledger is null ? null : new FingerprintLookup(ledger),
            Classifier = classifier is null ? null : new ClassifierStage(classifier, faceDetector),
            MissingReasons = missing,
        };
        return new ScanPipeline(new FrameSampler(runner), components, scanOptions);
    }
}
