using System.Runtime.CompilerServices;
using Provenance.Generator.Frames;
using Provenance.Media;

namespace Provenance.Generator.Operations;

/// <summary>
/// Runs ffmpeg with arguments that end in raw yuv420p on stdout and streams the frames into pooled
/// <see cref="YuvFrame"/>s, one at a time. Leaving the loop early (or cancelling) kills ffmpeg.
/// </summary>
internal static class FfmpegFrameStream
{
    public static async IAsyncEnumerable<YuvFrame> ReadAsync(FfmpegRunner runner, IReadOnlyList<string> inputAndFilterArguments, int width, int height,
        int maxFrames, string subject, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var args = new List<string> { "-hide_banner", "-nostdin", "-v", "error" };
        args.AddRange(inputAndFilterArguments);
        args.AddRange(["-frames:v", maxFrames.ToString(System.Globalization.CultureInfo.InvariantCulture), "-f", "rawvideo", "-pix_fmt", "yuv420p", "pipe:1"]);
        await using var process = await runner.StartAsync(FfmpegTool.Ffmpeg, args,
            new FfmpegStartOptions { SubjectPath = subject, Timeout = TimeSpan.FromMinutes(30) }, cancellationToken).ConfigureAwait(false);
        var index = 0;
        while (index < maxFrames)
        {
            var frame = FramePool.Shared.Rent(width, height, index);
            var filled = 0;
            try
            {
                var memory = frame.Memory;
                while (filled < memory.Length)
                {
                    var read = await process.StandardOutput.ReadAsync(memory[filled..], process.Lifetime).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }
                    filled += read;
                }
            }
            catch
            {
                frame.Dispose();
                cancellationToken.ThrowIfCancellationRequested();
                throw;
            }
            if (filled < frame.Memory.Length)
            {
                frame.Dispose();
                break;
            }
            index++;
            yield return frame;
        }
        var exit = await process.WaitForExitAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        if (exit != 0 || index == 0)
        {
            throw new MediaException(MediaErrorKind.ToolFailed, $"ffmpeg produced {index} frames for '{subject}' (exit code {exit})", subject, process.StderrTail);
        }
    }
}
