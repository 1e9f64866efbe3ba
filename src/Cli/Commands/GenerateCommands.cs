using Provenance.Api.Generation;
using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Provenance.Generator.Backends;
using Provenance.Generator.Onnx;
using Provenance.Generator.Operations;
using Provenance.Generator.Pipeline;
using Provenance.Generator.Procedural;
using Provenance.Generator.Safety;
using Provenance.Inference;
using Provenance.Media;
using Provenance.Signer.Certificates;
using Provenance.Watermark;
using Spectre.Console;

namespace Provenance.Cli.Commands;

/// <summary>
/// <c>provenance generate | animate | extend | interpolate | stamp</c>: make or import a clip and release it
/// stamped (watermark, signed manifest, ledger receipt beside it). Refused prompts exit 3 with the reason code.
/// </summary>
internal static class GenerateCommands
{
    private const int RefusedExitCode = 3;
    private const int InvalidRequestExitCode = 2;

    private static readonly Option<string> Output = new("--output", "-o") { Description = "Where the stamped MP4 goes (its receipt is written beside it).", Required = true };

    public static IEnumerable<Command> Create() => [Generate(), Animate(), Extend(), Interpolate(), Stamp()];

    private static Command Generate()
    {
        var prompt = new Argument<string>("prompt") { Description = "What the clip shows." };
        var seconds = new Option<double>("--seconds") { Description = "Length in seconds (up to 60).", DefaultValueFactory = _ => 5 };
        var size = new Option<string>("--size") { Description = "WIDTHxHEIGHT, up to 1920x1080.", DefaultValueFactory = _ => "1280x720" };
        var fps = new Option<int>("--fps") { Description = "24, 25 or 30.", DefaultValueFactory = _ => 30 };
        var seed = new Option<ulong>("--seed") { Description = "Same prompt and seed give the same frames.", DefaultValueFactory = _ => 0 };
        var backend = new Option<string>("--backend") { Description = "Generation backend: procedural or onnx.", DefaultValueFactory = _ => ProceduralBackend.BackendName };
        var model = new Option<string?>("--model") { Description = "For --backend onnx: the .onnx file (its card MODEL.onnx.frames.json beside it)." };
        var cmd = new Command("generate", "Generate a clip from a prompt and release it stamped.") { prompt, Output, seconds, size, fps, seed, backend, model };
        cmd.SetAction((parse, ct) => RunAsync(parse.GetValue(prompt), async (services, progress, token) =>
        {
            var (w, h) = GenerationRequest.ParseSize(parse.GetValue(size)!);
            var request = new GenerationRequest(parse.GetValue(prompt)!, parse.GetValue(seed), w, h, parse.GetValue(fps), parse.GetValue(seconds)).Validate();
            IGenerationBackend chosen = parse.GetValue(backend) switch
            {
                ProceduralBackend.BackendName => new ProceduralBackend(),
                OnnxBackend.BackendName => OnnxBackend.Load(parse.GetValue(model) ?? throw new GenerationRequestException("--backend onnx needs --model PATH"),
                    services.Configuration.GetSection(InferenceOptions.ConfigurationSection).Get<InferenceOptions>()),
                var other => throw new GenerationRequestException($"backend '{other}' is not available (procedural, onnx)"),
            };
            try
            {
                if (chosen is OnnxBackend onnx && onnx.CudaFallbackReason is { } why)
                {
                    AnsiConsole.MarkupLine($"[grey]onnx: CUDA not used ({Markup.Escape(why)}), running on the CPU[/]");
                }
                return await services.Pipeline.GenerateAsync(request, chosen, parse.GetValue(Output)!, progress, token);
            }
            finally
            {
                (chosen as IDisposable)?.Dispose();
            }
        }, ct));
        return cmd;
    }

    private static Command Animate()
    {
        var image = new Argument<string>("image") { Description = "A still image to animate." };
        var seconds = new Option<double>("--seconds") { DefaultValueFactory = _ => 5 };
        var size = new Option<string>("--size") { DefaultValueFactory = _ => "1280x720" };
        var fps = new Option<int>("--fps") { DefaultValueFactory = _ => 30 };
        var motion = new Option<AnimationMotion>("--motion") { Description = "zoom, pan or parallax.", DefaultValueFactory = _ => AnimationMotion.Zoom };
        var cmd = new Command("animate", "Animate a still image (zoom, pan, parallax) and release it stamped.") { image, Output, seconds, size, fps, motion };
        cmd.SetAction((parse, ct) => RunAsync(null, async (services, progress, token) =>
        {
            var (w, h) = GenerationRequest.ParseSize(parse.GetValue(size)!);
            var stream = services.Operations.Animate(parse.GetValue(image)!, w, h, parse.GetValue(fps), parse.GetValue(seconds), parse.GetValue(motion));
            return await services.Pipeline.StampAsync(stream, parse.GetValue(Output)!, null, progress, token);
        }, ct));
        return cmd;
    }

    private static Command Extend()
    {
        var clip = new Argument<string>("clip") { Description = "The clip to continue." };
        var seconds = new Option<double>("--seconds") { Description = "Seconds to add.", Required = true };
        var cmd = new Command("extend", "Continue a clip for N more seconds and release the result stamped.") { clip, Output, seconds };
        cmd.SetAction((parse, ct) => RunAsync(null, async (services, progress, token) =>
        {
            var output = Path.GetFullPath(parse.GetValue(Output)!);
            var stream = await services.Operations.ExtendAsync(parse.GetValue(clip)!, parse.GetValue(seconds), Path.GetDirectoryName(output)!, token);
            return await services.Pipeline.StampAsync(stream, output, null, progress, token);
        }, ct));
        return cmd;
    }

    private static Command Interpolate()
    {
        var clip = new Argument<string>("clip") { Description = "The clip whose frame rate to raise." };
        var fps = new Option<int>("--fps") { Description = "Target frame rate (24, 25 or 30).", Required = true };
        var cmd = new Command("interpolate", "Fill in frames (motion-compensated) to reach a frame rate; release the result stamped.") { clip, Output, fps };
        cmd.SetAction((parse, ct) => RunAsync(null, async (services, progress, token) =>
        {
            var stream = await services.Operations.InterpolateAsync(parse.GetValue(clip)!, parse.GetValue(fps), token);
            return await services.Pipeline.StampAsync(stream, parse.GetValue(Output)!, null, progress, token);
        }, ct));
        return cmd;
    }

    private static Command Stamp()
    {
        var input = new Argument<string>("input") { Description = "A clip made elsewhere." };
        var cmd = new Command("stamp", "Stamp a clip made elsewhere: watermark, signed manifest, ledger receipt.") { input, Output };
        cmd.SetAction((parse, ct) => RunAsync(null, async (services, progress, token) =>
        {
            var stream = await services.Operations.ImportAsync(parse.GetValue(input)!, token);
            return await services.Pipeline.StampAsync(stream, parse.GetValue(Output)!, null, progress, token);
        }, ct));
        return cmd;
    }

    private sealed record GeneratorServices(StampingPipeline Pipeline, ClipOperations Operations, IConfiguration Configuration);

    /// <summary>Screens <paramref name="prompt"/> first (a refusal needs no keys, ledger or ffmpeg, and is audited here), then
    /// builds the pipeline and runs; the pipeline's own check is the audited decision for an allowed prompt.</summary>
    private static async Task<int> RunAsync(string? prompt, Func<GeneratorServices, IProgress<StampingProgress>, CancellationToken, Task<StampResult>> run, CancellationToken ct)
    {
        await using var provider = CliHost.CreateServices();
        try
        {
            var generation = provider.GetRequiredService<GenerationServices>();
            if (prompt is not null)
            {
                var decision = await generation.Safety.ScreenAsync(prompt, subject: null, ct);
                if (!decision.Allowed)
                {
                    throw new PromptRefusedException(decision);
                }
            }
            var services = await BuildAsync(generation, ct);
            StampResult? result = null;
            await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask("checking", maxValue: 1);
                    var progress = new Progress<StampingProgress>(p =>
                    {
                        task.Description = p.Stage.ToString().ToLowerInvariant();
                        task.MaxValue = Math.Max(1, p.FramesTotal);
                        task.Value = p.Stage == StampingStage.Done ? task.MaxValue : p.FramesDone;
                    });
                    result = await run(services, progress, ct);
                    task.Value = task.MaxValue;
                });
            var r = result!;
            AnsiConsole.MarkupLine($"[green]released[/] {Markup.Escape(r.ClipPath)}");
            AnsiConsole.MarkupLine($"  asset id {r.Receipt.AssetId}, ledger index {r.Receipt.LedgerIndex}, {r.Receipt.Backend} on {r.Receipt.Device}, encoder {r.Receipt.Encoder}, {r.Elapsed.TotalSeconds:F1} s");
            AnsiConsole.MarkupLine($"  receipt {Markup.Escape(r.ReceiptPath)}");
            return 0;
        }
        catch (PromptRefusedException e)
        {
            AnsiConsole.MarkupLine($"[red]refused[/] {Markup.Escape(e.Decision.ReasonCode)} (category {Markup.Escape(e.Decision.Category ?? "")}, rule {Markup.Escape(e.Decision.MatchedRule ?? "")})");
            return RefusedExitCode;
        }
        catch (GenerationSetupException e)
        {
            AnsiConsole.MarkupLine($"[red]not set up[/] {Markup.Escape(e.Message)}");
            return 1;
        }
        catch (GenerationRequestException e)
        {
            AnsiConsole.MarkupLine($"[red]invalid request[/] {Markup.Escape(e.Message)}");
            return InvalidRequestExitCode;
        }
        catch (MediaException e)
        {
            AnsiConsole.MarkupLine($"[red]media error[/] {Markup.Escape(e.Message)}");
            return 1;
        }
    }

    private static async Task<GeneratorServices> BuildAsync(GenerationServices generation, CancellationToken ct)
    {
        var pipeline = await generation.CreatePipelineAsync(message => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(message)}[/]"), ct);
        return new GeneratorServices(pipeline, generation.Operations, generation.Configuration);
    }
}
