using System.Text.Json;
using Provenance.Api.Jobs;
using Provenance.Generator.Backends;
using Provenance.Generator.Pipeline;
using Provenance.Generator.Procedural;
using Provenance.Generator.Safety;
using Provenance.Media;

namespace Provenance.Api.Generation;

/// <summary>A generation request as the API takes it (JSON body of <c>POST /v1/generations</c>).</summary>
public sealed record GenerationJobInput(string Prompt, double Seconds = 5, string Size = "1280x720", int Fps = 30, ulong Seed = 0,
    string Backend = ProceduralBackend.BackendName);

/// <summary>A stamp request: an uploaded clip made elsewhere.</summary>
public sealed record StampJobInput(string UploadPath, string? OriginalName, long Length, string Sha256);

/// <summary>What a finished generation or stamp job holds: where its clip is and its receipt.</summary>
public sealed record ClipJobResult(string ClipPath, string ReceiptPath, StampReceipt Receipt);

/// <summary>Where released clips live: one folder under the data folder, named by job id.</summary>
public static class ClipStore
{
    public static string PathFor(GenerationServices services, Guid jobId) =>
        Path.GetFullPath(Path.Combine(services.DataDirectory, "clips", jobId.ToString("N") + ".mp4"));
}

/// <summary>Runs generation jobs: the safety decision under the policy in force now (the one audited: submission only
/// screened the prompt), generate, stamp, release.</summary>
public sealed class GenerationJobHandler(GenerationServices services) : IJobHandler
{
    public string Kind => JobKind.Generation;

    public async Task<object> RunAsync(JobContext context, CancellationToken ct)
    {
        var input = context.Input.Deserialize<GenerationJobInput>(JobStore.Json) ?? throw new JobInputException("the job has no generation input");
        GenerationRequest request;
        try
        {
            var (w, h) = GenerationRequest.ParseSize(input.Size);
            request = new GenerationRequest(input.Prompt, input.Seed, w, h, input.Fps, input.Seconds) { AuditSubject = context.Id.ToString() }.Validate();
        }
        catch (GenerationRequestException e)
        {
            throw new JobInputException(e.Message, e);
        }
        if (input.Backend != ProceduralBackend.BackendName)
        {
            throw new JobInputException($"backend '{input.Backend}' is not offered by this service (procedural)");
        }
        var output = ClipStore.PathFor(services, context.Id);
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        try
        {
            var pipeline = await services.CreatePipelineAsync(null, ct);
            var result = await pipeline.GenerateAsync(request, new ProceduralBackend(), output, Progress(context), ct);
            return new ClipJobResult(result.ClipPath, result.ReceiptPath, result.Receipt);
        }
        catch (PromptRefusedException e)
        {
            throw new JobInputException($"refused by the safety policy: {e.Decision.ReasonCode}", e);
        }
    }

    internal static IProgress<StampingProgress> Progress(JobContext context) => new Progress<StampingProgress>(p =>
        _ = context.ReportProgressAsync(p.FramesTotal > 0 ? (double)p.FramesDone / p.FramesTotal : 0, p.Stage.ToString().ToLowerInvariant()));
}

/// <summary>Runs stamp jobs: a clip made elsewhere gets our watermark, a signed manifest (its own manifest, if any, as
/// the parent ingredient) and a ledger entry.</summary>
public sealed class StampJobHandler(GenerationServices services) : IJobHandler
{
    public string Kind => JobKind.Stamp;

    public async Task<object> RunAsync(JobContext context, CancellationToken ct)
    {
        var input = context.Input.Deserialize<StampJobInput>(JobStore.Json) ?? throw new JobInputException("the job has no stamp input");
        if (!File.Exists(input.UploadPath))
        {
            throw new JobInputException("the uploaded clip is no longer stored");
        }
        var output = ClipStore.PathFor(services, context.Id);
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        FrameStream stream;
        try
        {
            stream = await services.Operations.ImportAsync(input.UploadPath, ct);
        }
        catch (MediaException e) when (e.Kind is not MediaErrorKind.Timeout and not MediaErrorKind.ToolMissing)
        {
            throw new JobInputException($"the upload cannot be stamped: {e.Message}", e);
        }
        var pipeline = await services.CreatePipelineAsync(null, ct);
        var result = await pipeline.StampAsync(stream, output, null, GenerationJobHandler.Progress(context), ct);
        return new ClipJobResult(result.ClipPath, result.ReceiptPath, result.Receipt);
    }
}
