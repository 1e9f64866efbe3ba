using System.Security.Cryptography;
using Provenance.Generator.Frames;

namespace Provenance.Generator.Pipeline;

/// <summary>
/// Frames to be stamped, with what the receipt and manifest say about where they came from. The pipeline
/// owns every frame it receives and disposes it after encoding.
/// </summary>
/// <param name="FrameCount">Expected number of frames (for progress; the stream may end earlier).</param>
/// <param name="Backend">Backend name recorded in the receipt (procedural, onnx, animate, extend, interpolate, import).</param>
/// <param name="Device">Where frames were computed (cpu, cuda).</param>
/// <param name="Model">Model or method and its version, for the manifest's software agent.</param>
public sealed record FrameStream(
    IAsyncEnumerable<YuvFrame> Frames,
    int Width,
    int Height,
    int Fps,
    int FrameCount,
    string Backend,
    string Device,
    string Model)
{
    /// <summary>
    /// The file the frames were decoded from, when they came from one clip as they are (an import): its Content
    /// Credentials, if any, become the parent ingredient of the new manifest.
    /// </summary>
    public string? ParentClipPath { get; init; }
}

/// <summary>Stages of one stamping run, in order.</summary>
public enum StampingStage
{
    Checking,
    Generating,
    Signing,
    Recording,
    Releasing,
    Done,
}

/// <summary>Progress of a stamping run.</summary>
public sealed record StampingProgress(StampingStage Stage, int FramesDone, int FramesTotal);

/// <summary>A released clip: where it is, its receipt and what the run measured.</summary>
public sealed record StampResult(string ClipPath, string ReceiptPath, StampReceipt Receipt, TimeSpan Elapsed);

/// <summary>Asset ids: 64 random bits, written as 16 lowercase hex digits; the watermark payload.</summary>
public static class AssetId
{
    public static ulong Allocate()
    {
        Span<byte> bytes = stackalloc byte[8];
        ulong value;
        do
        {
            RandomNumberGenerator.Fill(bytes);
            value = BitConverter.ToUInt64(bytes);
        }
        while (value == 0);
        return value;
    }

    public static string ToHex(ulong id) => id.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>How the stamping pipeline encodes and where it keeps its temporary files.</summary>
public sealed record StampingOptions
{
    /// <summary>x264 CRF / NVENC constant quality.</summary>
    public int Quality { get; init; } = 20;

    /// <summary>libx264 preset.</summary>
    public string Preset { get; init; } = "medium";

    /// <summary>Force an encoder (libx264, h264_nvenc); null picks NVENC when it works, else libx264.</summary>
    public string? Encoder { get; init; }

    /// <summary>Frames buffered between generation and the encoder.</summary>
    public int QueueFrames { get; init; } = 4;

    /// <summary>Replace an existing file at the output path.</summary>
    public bool Overwrite { get; init; } = true;

    /// <summary>Where progress and device choices are reported (null: nowhere).</summary>
    public Action<string>? Log { get; init; }
}
