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
    private const int DesiredBytes = 1 << 20;

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(IntPtr fd, int command, int argument);

    public static void TryEnlarge(Stream stream)
    {
        if (!OperatingSystem.IsLinux() || stream is not PipeStream pipe)
        {
            return;
        }
        try
        {
            var handle = pipe.SafePipeHandle;
            var added = false;
            handle.DangerousAddRef(ref added);
            try
            {
                _ = Fcntl(handle.DangerousGetHandle(), SetPipeSize, DesiredBytes);
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
        }
    }
}
