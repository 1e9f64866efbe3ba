using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Configuration;
using Provenance.Media;
using Provenance.Watermark;

namespace Provenance.Cli.Commands;

/// <summary><c>provenance watermark embed IN OUT --payload HEX</c> and <c>provenance watermark detect FILE [--json]</c>.</summary>
internal static class WatermarkCommands
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static Command Create()
    {
        var cmd = new Command("watermark", "Embed or read the invisible watermark (keyed by Provenance:Watermark:Key).");
        cmd.Subcommands.Add(Embed());
        cmd.Subcommands.Add(Detect());
        return cmd;
    }

    private static Command Embed()
    {
        var input = new Argument<string>("in") { Description = "Video to mark." };
        var output = new Argument<string>("out") { Description = "Marked H.264 MP4 to write." };
        var payload = new Option<string>("--payload") { Description = "64-bit asset id as 1-16 hex digits.", Required = true };
        var crf = new Option<int>("--crf") { Description = "x264 constant quality of the output.", DefaultValueFactory = _ => 23 };
        var cmd = new Command("embed", "Mark every frame of a video with a 64-bit payload and encode it.") { input, output, payload, crf };
        cmd.SetAction(async (parse, ct) =>
        {
            if (!WatermarkPayload.TryParseHex(parse.GetValue(payload), out var id))
            {
                Console.Error.WriteLine("--payload must be 1-16 hexadecimal digits");
                return 2;
            }
            var configuration = CliHost.LoadConfiguration();
            var key = LoadKey(configuration);
            using var runner = new FfmpegRunner(configuration.GetSection(FfmpegOptions.ConfigurationSection).Get<FfmpegOptions>() ?? new FfmpegOptions());
            var limits = configuration.GetSection(MediaLimits.ConfigurationSection).Get<MediaLimits>() ?? MediaLimits.Default;
            try
            {
                var source = new FrameSource(runner, null);
                var inPath = parse.GetValue(input)!;
                await using var reader = await source.OpenAsync(inPath, new FrameSourceOptions { PixelFormat = RawPixelFormat.Yuv420p, Limits = limits }, ct);
                await using var sink = await FrameSink.StartAsync(runner, parse.GetValue(output)!, new FrameSinkOptions
                {
                    Width = reader.Width, Height = reader.Height, FrameRate = reader.Probe.FrameRate,
                    Quality = parse.GetValue(crf), Encoder = "libx264", AudioSourcePath = reader.Probe.HasAudio ? inPath : null,
                }, null, ct);
                var embedder = new TiledWatermarkEmbedder(key, id);
                var progress = new ProgressLine("embed", reader.Probe.EstimatedFrameCount);
                while (await reader.ReadFrameAsync(ct) is { } frame)
                {
                    using (frame)
                    {
                        embedder.Embed(frame.Plane0, frame.Width, frame.Height, frame.Width, frame.Index);
                        await sink.WriteFrameAsync(frame, ct);
                    }
                    progress.Advance();
                }
                var result = await sink.CompleteAsync(ct);
                progress.Done();
                Console.WriteLine($"marked {result.FramesWritten} frames with payload {WatermarkPayload.ToHex(id)} (key {key.Fingerprint}) -> {result.Path}");
                return 0;
            }
            catch (MediaException e)
            {
                Console.Error.WriteLine($"{e.Kind}: {e.Message}");
                return 1;
            }
        });
        return cmd;
    }

    private static Command Detect()
    {
        var file = new Argument<string>("file") { Description = "Video to read." };
        var json = new Option<bool>("--json") { Description = "Print {found, payload, pValue, framesUsed, segments} as JSON." };
        var cmd = new Command("detect", "Look for the watermark and print the payload with its p-value.") { file, json };
        cmd.SetAction(async (parse, ct) =>
        {
            var configuration = CliHost.LoadConfiguration();
            var key = LoadKey(configuration);
            using var runner = new FfmpegRunner(configuration.GetSection(FfmpegOptions.ConfigurationSection).Get<FfmpegOptions>() ?? new FfmpegOptions());
            var limits = configuration.GetSection(MediaLimits.ConfigurationSection).Get<MediaLimits>() ?? MediaLimits.Default;
            try
            {
                var path = parse.GetValue(file)!;
                var probe = await new VideoProber(runner).ProbeAsync(path, limits, ct);
                var extractor = new TiledWatermarkExtractor(key);
                var profile = extractor.PreferredAnalysis;
                var height = profile.FrameSize(probe.Width, probe.Height).Height;
                var options = new FrameSourceOptions
                {
                    PixelFormat = RawPixelFormat.Gray, Height = height == probe.Height ? null : height,
                    SampleRate = profile.FramesPerSecond, Limits = limits,
                };
                var expected = probe.Duration is { } d ? (long?)Math.Ceiling(d.TotalSeconds * profile.FramesPerSecond) : null;
                var progress = new ProgressLine("detect", expected);
                await using (var reader = await new FrameSource(runner, null).OpenAsync(probe, options, ct))
                {
                    while (await reader.ReadFrameAsync(ct) is { } frame)
                    {
                        using (frame)
                            extractor.Accumulate(frame.Plane0, frame.Width, frame.Height, frame.Width, frame.Index, frame.Timestamp.TotalSeconds);
                        progress.Advance();
                    }
                }
                progress.Done();
                var result = extractor.Result();
                if (parse.GetValue(json))
                {
                    Console.WriteLine(JsonSerializer.Serialize(new
                    {
                        found = result.Found,
                        payload = result.PayloadHex,
                        pValue = result.PValue,
                        framesUsed = result.FramesUsed,
                        orientation = result.Found ? result.Orientation.Name() : null,
                        segments = result.Segments.Select(s => new { start = s.StartSeconds, end = s.EndSeconds, score = s.Score, pValue = s.PValue }),
                        note = result.Note,
                    }, Json));
                }
                else
                {
                    Console.WriteLine(result.Found
                        ? $"found payload {result.PayloadHex}  p-value {result.PValue.ToString("g3", CultureInfo.InvariantCulture)}  ({result.FramesUsed} frames)"
                            + (result.Orientation == WatermarkOrientations.Upright ? "" : $"  picture {result.Orientation.Name()}")
                        : $"no watermark found  p-value {result.PValue.ToString("g3", CultureInfo.InvariantCulture)}  ({result.FramesUsed} frames){(result.Note is null ? "" : "  " + result.Note)}");
                    foreach (var s in result.Segments)
                        Console.WriteLine(FormattableString.Invariant($"  {s.StartSeconds,7:f1}s - {s.EndSeconds,7:f1}s  score {s.Score,6:f2}  frames {s.Frames}"));
                }
                return result.Found ? 0 : 3;
            }
            catch (MediaException e)
            {
                Console.Error.WriteLine($"{e.Kind}: {e.Message}");
                return 1;
            }
        });
        return cmd;
    }

    /// <summary>The configured key (Provenance:Watermark:Key), else the one generated into the data folder.</summary>
    private static WatermarkKey LoadKey(IConfiguration configuration) =>
        WatermarkKey.LoadOrCreate(configuration[WatermarkKey.ConfigurationKey], configuration["Provenance:DataDirectory"] ?? ".data");

    /// <summary>Percent progress on stderr for long clips (at most every 5%).</summary>
    private sealed class ProgressLine(string label, long? total)
    {
        private long _done;
        private int _lastPercent = -1;

        public void Advance()
        {
            _done++;
            if (total is not > 100) return;
            var percent = (int)Math.Min(100, _done * 100 / total.Value);
            if (percent / 5 == _lastPercent / 5) return;
            _lastPercent = percent;
            Console.Error.Write($"\r{label}: {percent}% ({_done}/{total} frames)");
        }

        public void Done()
        {
            if (_lastPercent >= 0) Console.Error.WriteLine();
        }
    }
}
