using System.IO.Pipes;
using System.Runtime.InteropServices;

namespace Provenance.Media;

/// <summary>
/// Raises a Linux pipe's kernel buffer from 64 KiB to 1 MiB so raw frames move in fewer, larger chunks.
/// Best effort: other systems, or a refused size, keep the default.
/// </summary>
internal static partial class PipeCapacity
{
    private const int SetPipeSize = 1031; // F_SETPIPE_SZ
    private const int GetPipeSize = 1032; // F_GETPIPE_SZ
    private const int DesiredBytes = 1 << 20;

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(IntPtr fd, int command, int argument);

    public static void TryEnlarge(Stream stream) => _ = Control(stream, SetPipeSize, DesiredBytes);

    /// <summary>The pipe's kernel buffer size in bytes, or -1 when it cannot be read.</summary>
    public static int SizeOf(Stream stream) => Control(stream, GetPipeSize, 0);

    private static int Control(Stream stream, int command, int argument)
    {
        if (!OperatingSystem.IsLinux() || stream is not PipeStream pipe)
        {
            return -1;
        }
        try
        {
            var handle = pipe.SafePipeHandle;
            var added = false;
            handle.DangerousAddRef(ref added);
            try
            {
                return Fcntl(handle.DangerousGetHandle(), command, argument);
            }
            finally
            {
                if (added)
                {
                    handle.DangerousRelease();
                }
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or ObjectDisposedException or InvalidOperationException)
        {
            return -1;
        }
    }
}
