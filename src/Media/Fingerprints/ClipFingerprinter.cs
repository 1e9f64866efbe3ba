using System.Globalization;

namespace Provenance.Media.Fingerprints;

/// <summary>
/// Perceptual fingerprints of an encoded clip: ffmpeg decodes only its key frames (cheap: no inter-frame
/// decoding), scaled to 32x32 luma, and each becomes a <see cref="PerceptualHash"/>. Running on the encoded
/// result means the fingerprints describe what viewers get, not the frames before compression.
/// </summary>
public sealed class ClipFingerprinter
{
    public const string Algorithm = "org.provenance.fingerprint.phash64.v1";
    private const int MaxHashes = 600;
    private readonly FfmpegRunner _runner;

    public ClipFingerprinter(FfmpegRunner runner)
    {
        _runner = runner ?? throw new ArgumentNullException(nameof(runner));
    }

    public async Task<IReadOnlyList<ulong>> FingerprintAsync(string path, CancellationToken cancellationToken)
    {
        var size = PerceptualHash.InputSize.ToString(CultureInfo.InvariantCulture);
        var args = new List<string>
        {
            "-hide_banner", "-nostdin", "-v", "error",
            "-skip_frame", "nokey",
            "-i", "file:" + Path.GetFullPath(path),
            "-map", "0:v:0",
            "-vf", $"scale={size}:{size}:flags=area,format=gray",
            "-fps_mode", "passthrough",
            "-frames:v", MaxHashes.ToString(CultureInfo.InvariantCulture),
            "-f", "rawvideo", "pipe:1",
        };
        var frameBytes = PerceptualHash.InputSize * PerceptualHash.InputSize;
        var result = await _runner.RunAsync(FfmpegTool.Ffmpeg, args, new FfmpegStartOptions { SubjectPath = path, Timeout = TimeSpan.FromMinutes(5) },
            cancellationToken, maxOutputBytes: MaxHashes * frameBytes).ConfigureAwait(false);
        if (result.ExitCode != 0 || result.StandardOutput.Length < frameBytes)
        {
            throw new MediaException(MediaErrorKind.ToolFailed, $"fingerprinting '{path}' failed (exit code {result.ExitCode})", path, result.StderrTail);
        }
        var hashes = new List<ulong>(result.StandardOutput.Length / frameBytes);
        for (var offset = 0; offset + frameBytes <= result.StandardOutput.Length; offset += frameBytes)
        {
            hashes.Add(PerceptualHash.Compute(result.StandardOutput.AsSpan(offset, frameBytes)));
        }
        return hashes;
    }

    /// <summary>The fingerprints as soft-binding bytes: each hash as 8 big-endian bytes, in clip order.</summary>
    public static byte[] ToBytes(IReadOnlyList<ulong> hashes)
    {
        var bytes = new byte[hashes.Count * 8];
        for (var i = 0; i < hashes.Count; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(i * 8), hashes[i]);
        }
        return bytes;
    }
}
