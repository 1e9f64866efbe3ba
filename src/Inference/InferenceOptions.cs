namespace Provenance.Inference;

/// <summary>How a session is created. Bound from configuration section <c>Provenance:Inference</c> by the host.</summary>
public sealed record InferenceOptions
{
    /// <summary>Configuration section the host binds these options from.</summary>
    public const string ConfigurationSection = "Provenance:Inference";

    /// <summary>
    /// Ask for the CUDA execution provider first. When it cannot be used (no provider library, no GPU, driver
    /// mismatch) the session runs on the CPU and the reason is reported; it never fails because of CUDA alone.
    /// </summary>
    public bool PreferCuda { get; init; } = true;

    /// <summary>CUDA device ordinal used when <see cref="PreferCuda"/> is set.</summary>
    public int CudaDeviceId { get; init; }

    /// <summary>Threads inside one operator; 0 lets ONNX Runtime choose (one per physical core).</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>Options for a plain CPU session.</summary>
    public static InferenceOptions Cpu { get; } = new() { PreferCuda = false };
}
