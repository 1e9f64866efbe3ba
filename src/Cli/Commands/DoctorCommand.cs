using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Provenance.Api.Health;
using Spectre.Console;

namespace Provenance.Cli.Commands;

/// <summary><c>provenance doctor [--json]</c>: the readiness facts of <c>/readyz</c>, for a person or a script.</summary>
internal static class DoctorCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var cmd = new Command("doctor", "Check the database, migrations, ffmpeg and ONNX Runtime, and report what was found.") { json };
        cmd.SetAction(async (parse, ct) =>
        {
            await using var services = CliHost.CreateServices();
            var report = await services.GetRequiredService<ReadinessProbe>().CheckAsync(ct);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(report, Json));
            }
            else
            {
                Print(report);
            }
            return report.Ready ? 0 : 1;
        });
        return cmd;
    }

    private static void Print(ReadinessReport r)
    {
        var table = new Table().AddColumn("check").AddColumn("result");
        table.AddRow("database", r.Database.Reachable
            ? $"[green]reachable[/] ({Markup.Escape(r.Database.Server ?? "")}{(r.Database.Embedded ? ", embedded" : "")})"
            : $"[red]unreachable[/] {Markup.Escape(r.Database.Error ?? "")}");
        table.AddRow("migrations", r.Database.MigrationsApplied
            ? $"[green]applied[/] ({r.Database.AppliedMigrations.Count})"
            : $"[red]pending[/] {Markup.Escape(string.Join(", ", r.Database.PendingMigrations))}");
        table.AddRow("ffmpeg", r.Media.Available
            ? $"[green]{Markup.Escape(r.Media.FfmpegVersion ?? "?")}[/] encoder {Markup.Escape(r.Media.VideoEncoder)}, NVENC {(r.Media.NvencWorks ? "yes" : "no")}, NVDEC {(r.Media.NvdecWorks ? "yes" : "no")}"
            : $"[red]missing[/] {Markup.Escape(r.Media.Error ?? "")}");
        table.AddRow("onnxruntime", r.Inference.Available
            ? $"[green]{Markup.Escape(r.Inference.OnnxRuntimeVersion ?? "?")}[/] provider {Markup.Escape(r.Inference.ExecutionProvider ?? "?")}{(r.Inference.FallbackReason is { } why ? $" ({Markup.Escape(why)})" : "")}"
            : $"[red]unavailable[/] {Markup.Escape(r.Inference.Error ?? "")}");
        table.AddRow("GPU", r.Inference.GpuPresent ? "present" : "none");
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(r.Ready ? "[green]ready[/]" : "[red]not ready[/]");
        foreach (var p in r.Problems)
        {
            AnsiConsole.MarkupLine($"  - {Markup.Escape(p)}");
        }
    }
}
