using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Provenance.Media;
using Spectre.Console;

namespace Provenance.Cli.Commands;

/// <summary><c>provenance media probe FILE</c> and <c>provenance media caps</c>: what ffprobe and ffmpeg say.</summary>
internal static class MediaCommands
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create()
    {
        var media = new Command("media", "Inspect video files and the ffmpeg installation.");
        media.Subcommands.Add(Probe());
        media.Subcommands.Add(Capabilities());
        return media;
    }

    private static Command Probe()
    {
        var file = new Argument<string>("file") { Description = "The video file to probe." };
        var json = new Option<bool>("--json") { Description = "Print the probe as JSON." };
        var cmd = new Command("probe", "Probe a video file and check it against the configured limits.") { file, json };
        cmd.SetAction(async (parse, ct) =>
        {
            var configuration = CliHost.LoadConfiguration();
            using var runner = new FfmpegRunner(configuration.GetSection(FfmpegOptions.ConfigurationSection).Get<FfmpegOptions>() ?? new FfmpegOptions());
            var limits = configuration.GetSection(MediaLimits.ConfigurationSection).Get<MediaLimits>() ?? MediaLimits.Default;
            try
            {
                var probe = await new VideoProber(runner).ProbeAsync(parse.GetValue(file)!, limits, ct);
                if (parse.GetValue(json))
                {
                    Console.WriteLine(JsonSerializer.Serialize(probe, Json));
                    return 0;
                }
                var table = new Table().AddColumn("field").AddColumn("value");
                table.AddRow("container", Markup.Escape(probe.Container));
                table.AddRow("video", Markup.Escape($"{probe.Codec} {probe.Width}x{probe.Height} {probe.PixelFormat} @ {probe.FrameRate} fps, rotation {probe.Rotation}"));
                table.AddRow("duration", Markup.Escape(probe.Duration?.ToString() ?? "unknown"));
                table.AddRow("frames", Markup.Escape(probe.FrameCount?.ToString() ?? $"~{probe.EstimatedFrameCount}"));
                table.AddRow("audio", probe.HasAudio ? "yes" : "no");
                table.AddRow("size", $"{probe.SizeBytes} bytes, {probe.BitRate?.ToString() ?? "?"} bit/s");
                AnsiConsole.Write(table);
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

    private static Command Capabilities()
    {
        var json = new Option<bool>("--json") { Description = "Print the capabilities as JSON." };
        var cmd = new Command("caps", "Detect ffmpeg's version, codecs and whether NVENC/NVDEC work on this machine.") { json };
        cmd.SetAction(async (parse, ct) =>
        {
            var configuration = CliHost.LoadConfiguration();
            using var runner = new FfmpegRunner(configuration.GetSection(FfmpegOptions.ConfigurationSection).Get<FfmpegOptions>() ?? new FfmpegOptions());
            var caps = await HardwareCapabilities.DetectAsync(runner, ct);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(caps, Json));
            }
            else
            {
                var table = new Table().AddColumn("check").AddColumn("result");
                table.AddRow("ffmpeg", Markup.Escape(caps.Available ? $"{caps.FfmpegVersion} (ffprobe {caps.FfprobeVersion})" : $"unavailable: {caps.Error}"));
                table.AddRow("encoders", Markup.Escape(string.Join(", ", caps.Encoders)));
                table.AddRow("decoders", Markup.Escape(string.Join(", ", caps.Decoders)));
                table.AddRow("hwaccels", Markup.Escape(string.Join(", ", caps.HardwareAccelerations)));
                table.AddRow("NVENC", Markup.Escape(caps.NvencWorks ? "works" : $"no: {caps.NvencProblem}"));
                table.AddRow("NVDEC", Markup.Escape(caps.NvdecWorks ? "works" : $"no: {caps.NvdecProblem}"));
                table.AddRow("H.264 encoder", Markup.Escape(caps.H264Encoder));
                AnsiConsole.Write(table);
            }
            return caps.Available ? 0 : 1;
        });
        return cmd;
    }
}
