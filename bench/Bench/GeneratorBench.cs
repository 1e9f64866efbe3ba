using System.Diagnostics;
using System.Globalization;
using Provenance.Generator.Backends;
using Provenance.Generator.Frames;
using Provenance.Generator.Pipeline;
using Provenance.Generator.Procedural;
using Provenance.Media;
using Provenance.Signer;
using Provenance.Signer.Certificates;
using Provenance.Signer.Signing;
using Provenance.Watermark;

namespace Provenance.Bench;

/// <summary>
/// <c>bench/run.sh generator [--seconds 60] [--size 1920x1080] [--fps 30] [--preset medium] [--rounds 3]</c>: the stamping
/// overhead of the generator. Runs the procedural backend three ways on the same request: generation alone
/// (frames/s), generation + plain libx264 encode of the same frames, and the full stamping pipeline
/// (watermark every frame, encode, key-frame fingerprints, C2PA sign + embed, ledger append, release).
/// The ledger here is an in-process stand-in (one SHA-256 per entry): appends are a negligible share of the time.
/// Peak memory is this process's high-water mark (VmHWM); the ffmpeg encoder's is reported beside it.
/// </summary>
internal static class GeneratorBench
{
    /// <summary>What <c>bench/run.sh generator</c> accepts (checked before it runs).</summary>
    public static BenchArgs Arguments { get; } = new("bench/run.sh generator [--seconds S] [--size WxH] [--fps N] [--preset NAME] [--rounds N]",
        ["--seconds", "--size", "--fps", "--preset", "--rounds"], []);

    public static async Task<IReadOnlyDictionary<string, object?>> RunAsync(string[] args, CancellationToken ct)
    {
        var seconds = double.Parse(Option(args, "--seconds", "60"), CultureInfo.InvariantCulture);
        var (width, height) = GenerationRequest.ParseSize(Option(args, "--size", "1920x1080"));
        var fps = int.Parse(Option(args, "--fps", "30"), CultureInfo.InvariantCulture);
        var preset = Option(args, "--preset", "medium");
        var roundCount = Math.Max(1, int.Parse(Option(args, "--rounds", "3"), CultureInfo.InvariantCulture));
        var request = new GenerationRequest("a red balloon drifting over the ocean at sunset, slow pan right, \"PROVENANCE\"", 42, width, height, fps, seconds).Validate();
        var folder = Directory.CreateTempSubdirectory("provenance-bench-generator-").FullName;
        try
        {
            using var runner = new FfmpegRunner();
            var backend = new ProceduralBackend();

            BenchOutput.Progress($"generation only: {request.FrameCount} frames at {width}x{height}");
            var generation = Stopwatch.StartNew();
            await foreach (var frame in backend.GenerateAsync(request, FramePool.Shared, ct))
            {
                frame.Dispose();
            }
            generation.Stop();

            var encoderPeak = new PeakMemorySampler("ffmpeg");
            var root = CertificateAuthority.CreateRoot("CN=Bench Root, O=Provenance Bench", SigningAlgorithm.Es256, TimeSpan.FromDays(1));
            var intermediate = CertificateAuthority.CreateIntermediate(root, "CN=Bench Intermediate, O=Provenance Bench", SigningAlgorithm.Es256, TimeSpan.FromDays(1));
            var signerCertificate = CertificateAuthority.IssueClaimSigner(intermediate, "CN=Bench Signer, O=Provenance Bench", SigningAlgorithm.Es256, TimeSpan.FromDays(1));
            using var signer = new X509Signer([signerCertificate, intermediate], PemFiles.PrivateKeyOf(signerCertificate), SigningAlgorithm.Es256);
            var pipeline = new StampingPipeline(runner, null, WatermarkKey.Generate(), signer, null, new CountingLedger(), null,
                new StampingOptions { Preset = preset, Encoder = VideoEncoders.Libx264 });

            // Plain and stamped runs alternate, so a change in the machine's load hits both; the ratio is taken per
            // round and the median round is reported.
            var rounds = new List<(double Plain, double Stamped, StageClock Stages, string AssetId)>();
            for (var round = 1; round <= roundCount; round++)
            {
                BenchOutput.Progress($"round {round}/{roundCount}: generation + plain libx264 encode");
                var plain = Stopwatch.StartNew();
                var sinkOptions = new FrameSinkOptions { Width = width, Height = height, FrameRate = new Rational(fps, 1), Preset = preset, Encoder = VideoEncoders.Libx264 };
                await using (var sink = await FrameSink.StartAsync(runner, Path.Combine(folder, "plain.mp4"), sinkOptions, null, ct))
                {
                    await foreach (var frame in backend.GenerateAsync(request, FramePool.Shared, ct))
                    {
                        using (frame)
                        {
                            await sink.WriteFrameAsync(frame.Memory, ct);
                        }
                    }
                    await sink.CompleteAsync(ct);
                }
                plain.Stop();

                BenchOutput.Progress($"round {round}/{roundCount}: full stamping pipeline");
                var output = Path.Combine(folder, "stamped.mp4");
                File.Delete(output);
                File.Delete(StampReceipt.PathFor(output));
                var stamped = Stopwatch.StartNew();
                var stages = new StageClock(stamped);
                var result = await pipeline.GenerateAsync(request, backend, output, stages, ct);
                stamped.Stop();
                stages.Total = stamped.Elapsed;
                rounds.Add((plain.Elapsed.TotalSeconds, stamped.Elapsed.TotalSeconds, stages, result.Receipt.AssetId));
                BenchOutput.Progress($"round {round}: plain {plain.Elapsed.TotalSeconds:F1} s, stamped {stamped.Elapsed.TotalSeconds:F1} s, ratio {stamped.Elapsed.TotalSeconds / plain.Elapsed.TotalSeconds:F3}");
            }
            encoderPeak.Stop();
            var median = rounds.OrderBy(r => r.Stamped / r.Plain).ElementAt(rounds.Count / 2);

            return new Dictionary<string, object?>
            {
                ["clip"] = $"{width}x{height} {fps} fps {seconds} s ({request.FrameCount} frames), libx264 {preset}",
                ["stamp_overhead_ratio"] = Math.Round(median.Stamped / median.Plain, 3),
                ["ratio_by_round"] = rounds.Select(r => Math.Round(r.Stamped / r.Plain, 3)).ToList(),
                ["stamped_seconds"] = Math.Round(median.Stamped, 2),
                ["plain_seconds"] = Math.Round(median.Plain, 2),
                // Where the median stamped run's time went: generate + watermark + encode, then sign, record and release.
                ["stamped_encode_seconds"] = Math.Round(median.Stages.EncodeDone.TotalSeconds, 2),
                ["stamped_after_encode_seconds"] = Math.Round((median.Stages.Total - median.Stages.EncodeDone).TotalSeconds, 2),
                ["peak_rss_mb"] = PeakMemorySampler.SelfPeakMegabytes(),
                ["encoder_peak_rss_mb"] = encoderPeak.PeakMegabytes,
                ["fps_by_backend"] = new Dictionary<string, object?> { ["procedural"] = Math.Round(request.FrameCount / generation.Elapsed.TotalSeconds, 1) },
                ["cores"] = Environment.ProcessorCount,
                ["asset_id"] = median.AssetId,
            };
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string Option(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    /// <summary>Notes when the pipeline leaves the encode stage (its first report of a later stage), synchronously.</summary>
    private sealed class StageClock(Stopwatch clock) : IProgress<StampingProgress>
    {
        public TimeSpan EncodeDone { get; private set; }
        public TimeSpan Total { get; set; }

        public void Report(StampingProgress value)
        {
            if (EncodeDone == TimeSpan.Zero && value.Stage > StampingStage.Generating) EncodeDone = clock.Elapsed;
        }
    }

    /// <summary>A stand-in ledger: sequential indexes, the entry hash as the one-element proof.</summary>
    private sealed class CountingLedger : ILedgerAppender
    {
        private long _next;

        public Task<LedgerReceipt> AppendAsync(LedgerEntry entry, CancellationToken cancellationToken)
        {
            var leaf = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(entry.AssetId + entry.ManifestHash));
            return Task.FromResult(new LedgerReceipt(Interlocked.Increment(ref _next) - 1, [Convert.ToBase64String(leaf)], "bench\n"));
        }
    }

    /// <summary>Samples the resident-set high-water mark of child processes with a given name (Linux /proc).</summary>
    private sealed class PeakMemorySampler
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private long _peakKb;

        public PeakMemorySampler(string name)
        {
            _loop = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    foreach (var p in Process.GetProcessesByName(name))
                    {
                        using (p)
                        {
                            var kb = HighWaterKb($"/proc/{p.Id}/status");
                            _peakKb = Math.Max(_peakKb, kb);
                        }
                    }
                    await Task.Delay(200).ConfigureAwait(false);
                }
            });
        }

        public long PeakMegabytes => _peakKb / 1024;

        public void Stop()
        {
            _stop.Cancel();
            _loop.Wait();
        }

        public static long SelfPeakMegabytes() => HighWaterKb("/proc/self/status") / 1024;

        private static long HighWaterKb(string statusPath)
        {
            try
            {
                foreach (var line in File.ReadLines(statusPath))
                {
                    if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    {
                        return long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                    }
                }
            }
            catch (IOException)
            {
            }
            return 0;
        }
    }
}
