using Provenance.Generator.Frames;

namespace Provenance.Generator.Backends;

/// <summary>
/// A source of generated frames. Frames stream out one at a time in pooled buffers; the consumer owns
/// each frame it receives and disposes it when done, so no backend holds a whole clip in memory.
/// </summary>
public interface IGenerationBackend
{
    /// <summary>Name recorded in receipts and manifests, e.g. <c>procedural</c>.</summary>
    string Name { get; }

    /// <summary>Model/version string for the manifest's softwareAgent.</summary>
    string ModelVersion { get; }

    /// <summary>Where the frames are computed (<c>cpu</c>, <c>cuda</c>): recorded in the receipt.</summary>
    string Device { get; }

    /// <summary>Streams <see cref="GenerationRequest.FrameCount"/> frames in order.</summary>
    IAsyncEnumerable<YuvFrame> GenerateAsync(GenerationRequest request, FramePool pool, CancellationToken cancellationToken);
}
