using Provenance.Api.Hosting;
using Provenance.Inference;
using Provenance.Ledger.Database;
using Provenance.Media;

namespace Provenance.Api.Health;

/// <summary>
/// Gathers the readiness facts: database reachable and migrated, ffmpeg present (and what it can do), ONNX Runtime
/// loaded (version, execution provider, GPU). Each check is bounded in time; answers are cached for a few seconds.
/// </summary>
public sealed class ReadinessProbe(DatabaseProvider database, FfmpegRunner ffmpeg, IConfiguration configuration)
{
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(2);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ReadinessReport? _last;

    public async Task<ReadinessReport> CheckAsync(CancellationToken ct)
    {
        if (_last is { } cached && DateTimeOffset.UtcNow - cached.CheckedAt < CacheFor)
        {
            return cached;
        }
        await _gate.WaitAsync(ct);
        try
        {
            if (_last is { } again && DateTimeOffset.UtcNow - again.CheckedAt < CacheFor)
            {
                return again;
            }
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(CheckTimeout);
            var db = CheckDatabaseAsync(timeout.Token);
            var media = CheckMediaAsync(timeout.Token);
            var inference = CheckInferenceAsync(timeout.Token);
            await Task.WhenAll(db, media, inference);
            var problems = new List<string>();
            if (!db.Result.Reachable)
            {
                problems.Add($"database unreachable: {db.Result.Error}");
            }
            else if (!db.Result.MigrationsApplied)
            {
                problems.Add(db.Result.Error ?? $"migrations pending: {string.Join(", ", db.Result.PendingMigrations)} (run 'provenance db migrate')");
            }
            if (!media.Result.Available)
            {
                problems.Add($"ffmpeg unavailable: {media.Result.Error}");
            }
            if (!inference.Result.Available)
            {
                problems.Add($"ONNX Runtime unavailable: {inference.Result.Error}");
            }
            _last = new ReadinessReport(problems.Count == 0, DateTimeOffset.UtcNow, db.Result, media.Result, inference.Result, problems);
            return _last;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<DatabaseFacts> CheckDatabaseAsync(CancellationToken ct)
    {
        try
        {
            var db = await database.GetAsync(ct);
            await using var cmd = db.DataSource.CreateCommand("SELECT current_setting('server_version')");
            var version = (string?)await cmd.ExecuteScalarAsync(ct);
            var status = await new Migrator(db.DataSource).GetStatusAsync(ct);
            string? error = null;
            if (status.Changed.Count > 0)
            {
                error = $"applied migrations changed since they were applied: {string.Join(", ", status.Changed)}";
            }
            else if (status.Unknown.Count > 0)
            {
                error = $"the database has migrations this build does not know: {string.Join(", ", status.Unknown)}";
            }
            return new DatabaseFacts(true, db.IsEmbedded, $"PostgreSQL {version}", status.UpToDate, status.Applied, status.Pending, error);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return new DatabaseFacts(false, false, null, false, [], [], e.Message);
        }
        catch (OperationCanceledException)
        {
            return new DatabaseFacts(false, false, null, false, [], [], $"no answer within {CheckTimeout.TotalSeconds} s");
        }
    }

    private async Task<MediaFacts> CheckMediaAsync(CancellationToken ct)
    {
        try
        {
            var caps = await HardwareCapabilities.DetectAsync(ffmpeg, ct);
            return new MediaFacts(caps.Available, caps.FfmpegVersion, caps.FfprobeVersion, caps.H264Encoder, caps.NvencWorks, caps.NvdecWorks, caps.Error);
        }
        catch (Exception e)
        {
            return new MediaFacts(false, null, null, VideoEncoders.Libx264, false, false, e.Message);
        }
    }

    private async Task<InferenceFacts> CheckInferenceAsync(CancellationToken ct)
    {
        try
        {
            var options = configuration.GetSection(InferenceOptions.ConfigurationSection).Get<InferenceOptions>() ?? new InferenceOptions();
            var info = await OnnxRuntimeInfo.DetectAsync(options, ct);
            return new InferenceFacts(info.IsAvailable, info.Version, info.ChosenProvider, info.AvailableProviders, info.Gpu.Present,
                info.FallbackReason, info.Error);
        }
        catch (Exception e)
        {
            return new InferenceFacts(false, null, null, [], false, null, e.Message);
        }
    }
}
