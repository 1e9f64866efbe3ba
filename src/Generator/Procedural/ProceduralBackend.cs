using System.Runtime.CompilerServices;
using Provenance.Generator.Backends;
using Provenance.Generator.Frames;

namespace Provenance.Generator.Procedural;

/// <summary>
/// The default text-to-video backend. It needs no model weights: the prompt's words choose a palette,
/// objects, particles, motion, camera move, lighting and on-screen text, and fractal noise gives the
/// frames natural-image-like texture. It is a deterministic stand-in for a neural video model (same
/// prompt + seed → the same bytes), so the stamping pipeline can be exercised and measured end to end.
/// </summary>
public sealed class ProceduralBackend : IGenerationBackend
{
    public const string BackendName = "procedural";

    private readonly int _maxThreads;

    /// <param name="maxThreads">Cap on rendering threads (-1: all cores).</param>
    public ProceduralBackend(int maxThreads = -1)
    {
        _maxThreads = maxThreads;
    }

    public string Name => BackendName;

    public string ModelVersion => "procedural-scene/1";

    public string Device => "cpu";

    /// <summary>The words of <paramref name="prompt"/> the backend recognised, for logs and tests.</summary>
    public static IReadOnlyList<string> RecognisedWords(string prompt, ulong seed = 0) => PromptSceneParser.Parse(prompt, seed).MatchedWords;

    public async IAsyncEnumerable<YuvFrame> GenerateAsync(GenerationRequest request, FramePool pool, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        request.Validate();
        ArgumentNullException.ThrowIfNull(pool);
        var scene = PromptSceneParser.Parse(request.Prompt, request.Seed);
        var renderer = await Task.Run(() => new SceneRenderer(scene, request.Width, request.Height, request.Fps, request.Seconds,
            request.Prompt, request.Seed, _maxThreads), cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < request.FrameCount; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var frame = pool.Rent(request.Width, request.Height, i);
            try
            {
                renderer.Render(i, frame);
            }
            catch
            {
                frame.Dispose();
                throw;
            }
            yield return frame;
        }
    }
}
