using System.Diagnostics;
using System.Reflection;
using Provenance.Detector.Fusion;
using Provenance.Detector.Reports;
using Provenance.Detector.Classification;
using Provenance.Detector.Sampling;
using Provenance.Media;

namespace Provenance.Detector.Scanning;

/// <summary>
/// The parts a scan can use. Any may be null: it is then reported as not checked, with the reason given in
/// <see cref="MissingReasons"/> (keyed by part: credentials, watermark, ledger, fingerprint, classifier) or a default.
/// </summary>
public sealed record ScanComponents
{
    public ICredentialsCheck? Credentials { get; init; }
    public IWatermarkCheck? Watermark { get; init; }
    public ILedgerLookup? Ledger { get; init; }
    public IFingerprintLookup? Fingerprint { get; init; }
    public IClassifierStage? Classifier { get; init; }
    public IReadOnlyDictionary<string, string> MissingReasons { get; init; } = new Dictionary<string, string>();

    internal string Missing(string part) =>
        MissingReasons.TryGetValue(part, out var why) ? why : $"no {part} check is configured in this service";
}

/// <summary>
/// One scan: probe → Content Credentials (alongside decoding) → frames sampled once and shared → watermark,
/// fingerprints and classifier concurrently → ledger by payload and manifest → fusion → <see cref="ScanReport"/>.
/// Bad input gives a report with verdict <c>error</c> or <c>abstain</c> and the reason, never an exception; only
/// the caller's cancellation escapes.
/// </summary>
public sealed partial class ScanPipeline(FrameSampler sampler, ScanComponents components, ScanOptions options)
{
    public ScanOptions Options { get; } = options;

    public async Task<ScanReport> ScanAsync(string path, IProgress<ScanProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var timings = new Dictionary<string, double>();
        var total = Stopwatch.StartNew();
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(Options.Timeout);
        var ct = bounded.Token;
        var fileName = Path.GetFileName(path);
        try
        {
            progress?.Report(new ScanProgress("probe", 0));
            var sampling = new FrameSamplingOptions
            {
                SampleRate = Options.SampleRate, MaxFrames = Options.MaxFrames, MaxSide = Options.MaxDecodeSide, MaxShorterSide = Options.MaxDecodeShorterSide,
                Limits = Options.Limits, Timeout = Options.Timeout,
            };
            VideoProbe probe;
            try
            {
                probe = await Timed(timings, "probe", () => sampler.ProbeAsync(path, sampling, ct)).ConfigureAwait(false);
            }
            catch (MediaException e)
            {
                return ErrorReport(new InputSection { Status = CheckStatus.Error, Reason = Describe(e), FileName = fileName, SizeBytes = SizeOf(path) }, timings, total);
            }

            var credentialsTask = Timed(timings, "credentials", () => Guard("credentials", components.Credentials is { } c
                ? () => c.CheckAsync(path, ct)
                : null, CredentialsNotChecked, CredentialsError));

            progress?.Report(new ScanProgress("decode", 0.1));
            // The watermark and fingerprint stages of this project read frames while they decode; others get the finished sample.
            var streaming = (components.Watermark as WatermarkStage)?.Begin(ct);
            var fingerprinting = (components.Fingerprint as FingerprintLookup)?.Begin(ExpectedFrames(probe), ct);
            Action<SampledFrame>? onFrame = (streaming, fingerprinting) switch
            {
                (null, null) => null,
                ({ } w, null) => w.Add,
                (null, { } f) => f.Add,
                ({ } w, { } f) => frame =>
                {
                    w.Add(frame);
                    f.Add(frame);
                },
            };
            (SampledVideo Video, string? Problem) decoded;
            try
            {
                decoded = await Timed(timings, "decode", () => DecodeAsync(probe, sampling, ct, onFrame)).ConfigureAwait(false);
            }
            finally
            {
                // End the streaming stages' input whatever happens next, so their background work stops.
                _ = streaming?.FinishAsync().ContinueWith(_ => { }, TaskScheduler.Default);
                _ = fingerprinting?.FinishAsync().ContinueWith(_ => { }, TaskScheduler.Default);
            }
            var (video, decodeProblem) = decoded;
            var input = InputOf(probe, video, fileName);
            progress?.Report(new ScanProgress("analyse", 0.5));

            var streamed = streaming?.FinishAsync();
            var fingerprinted = fingerprinting?.FinishAsync();
            var noFrames = video.Frames.Count == 0 ? $"no decodable frames{(decodeProblem is null ? "" : $" ({decodeProblem})")}" : null;
            var watermarkTask = Timed(timings, "watermark", () => Guard("watermark", components.Watermark is { } w && noFrames is null
                ? streamed is not null ? () => streamed : () => w.ExtractAsync(video, ct)
                : null, why => new WatermarkSection { Status = CheckStatus.NotChecked, Reason = noFrames ?? why },
                why => new WatermarkSection { Status = CheckStatus.Error, Reason = why }));
            var fingerprintTask = Timed(timings, "fingerprint", () => Guard("fingerprint", components.Fingerprint is { } f && noFrames is null
                ? fingerprinted is not null ? () => fingerprinted : () => f.LookupAsync(video, ct)
                : null, why => new FingerprintSection { Status = CheckStatus.NotChecked, Reason = noFrames ?? why },
                why => new FingerprintSection { Status = CheckStatus.Error, Reason = why }));
            var classifierTask = Timed(timings, "classifier", () => Guard("classifier", components.Classifier is { } k
                ? () => k.ClassifyAsync(video, ct)
                : null, why => new ClassifierSection { Status = CheckStatus.NotChecked, Reason = why },
                why => new ClassifierSection { Status = CheckStatus.Error, Reason = why }));

            var credentials = await credentialsTask.ConfigureAwait(false);
            var watermark = await watermarkTask.ConfigureAwait(false);
            progress?.Report(new ScanProgress("ledger", 0.8));
            var ledger = await Timed(timings, "ledger", () => Guard("ledger", components.Ledger is { } l
                ? () => l.LookupAsync(watermark, credentials, ct)
                : null, why => new LedgerSection { Status = CheckStatus.NotChecked, Reason = why },
                why => new LedgerSection { Status = CheckStatus.Error, Reason = why })).ConfigureAwait(false);
            var evidence = new ScanEvidence
            {
                Input = input,
                Credentials = credentials,
                Watermark = watermark,
                Ledger = ledger,
                Fingerprint = await fingerprintTask.ConfigureAwait(false),
                Classifier = await classifierTask.ConfigureAwait(false),
            };
            timings["total"] = total.Elapsed.TotalMilliseconds;
            progress?.Report(new ScanProgress("done", 1));
            return ScanReports.Assemble(evidence, VerdictFusion.Decide(evidence), timings, ToolVersions());
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var reason = $"the scan exceeded its time limit of {Options.Timeout.TotalSeconds:0} s";
            return ErrorReport(new InputSection { Status = CheckStatus.Error, Reason = reason, FileName = fileName, SizeBytes = SizeOf(path) }, timings, total);
        }
    }

    private async Task<(SampledVideo Video, string? Problem)> DecodeAsync(VideoProbe probe, FrameSamplingOptions sampling, CancellationToken ct,
        Action<SampledFrame>? onFrame)
    {
        try
        {
            return (await sampler.SampleAsync(probe, sampling, ct, onFrame).ConfigureAwait(false), null);
        }
        catch (MediaException e)
        {
            return (new SampledVideo(probe, [], sampling.SampleRate, 0, 0), Describe(e));
        }
    }

    private async Task<T> Guard<T>(string part, Func<Task<T>>? run, Func<string, T> notChecked, Func<string, T> error)
    {
        if (run is null)
        {
            return notChecked(components.Missing(part));
        }
        try
        {
            return await run().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception e)
        {
            return error($"{e.GetType().Name}: {e.Message}");
        }
    }

    private static CredentialsSection CredentialsNotChecked(string why) =>
        new() { Status = CheckStatus.NotChecked, Reason = why, State = CredentialsState.NotChecked };

    private static CredentialsSection CredentialsError(string why) =>
        new() { Status = CheckStatus.Error, Reason = why, State = CredentialsState.Error };

    private static async Task<T> Timed<T>(Dictionary<string, double> timings, string stage, Func<Task<T>> run)
    {
        var sw = Stopwatch.StartNew();
        try
        {
            return await run().ConfigureAwait(false);
        }
        finally
        {
            lock (timings)
            {
                timings[stage] = Math.Round(sw.Elapsed.TotalMilliseconds, 2);
            }
        }
    }
}
