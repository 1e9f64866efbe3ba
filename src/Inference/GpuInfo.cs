using System.Diagnostics;

namespace Provenance.Inference;

/// <summary>Whether an NVIDIA GPU is visible to this process, and the evidence for the answer.</summary>
public sealed record GpuInfo(bool Present, string Evidence, string? Name = null, string? DriverVersion = null);

/// <summary>Looks for an NVIDIA GPU: device nodes and the driver's /proc entry (sync), nvidia-smi (async only).</summary>
internal static class GpuProbe
{
    private const string DriverVersionFile = "/proc/driver/nvidia/version";
    private static readonly TimeSpan SmiTimeout = TimeSpan.FromSeconds(5);

    internal static GpuInfo Detect()
    {
        var devices = Directory.Exists("/dev")
            ? Directory.EnumerateFiles("/dev", "nvidia*").Where(d => char.IsAsciiDigit(d[^1])).Order(StringComparer.Ordinal).ToList()
            : [];
        var driver = ReadDriverVersion();
        if (devices.Count > 0)
        {
            return new GpuInfo(true, "device nodes " + string.Join(", ", devices), DriverVersion: driver);
        }

        return new GpuInfo(false, "no /dev/nvidia<N> device node" + (driver is null ? ", no NVIDIA driver loaded" : $", driver {driver} loaded"), DriverVersion: driver);
    }

    internal static async Task<GpuInfo> DetectAsync(CancellationToken cancellationToken)
    {
        var basic = Detect();
        var smi = await QueryNvidiaSmiAsync(cancellationToken).ConfigureAwait(false);
        if (smi is null)
        {
            return basic;
        }

        return basic with
        {
            Present = basic.Present || smi.Count > 0,
            Name = smi.Count > 0 ? string.Join(", ", smi) : basic.Name,
            Evidence = basic.Evidence + $"; nvidia-smi lists {smi.Count} GPU(s)",
        };
    }

    private static string? ReadDriverVersion()
    {
        try
        {
            if (!File.Exists(DriverVersionFile))
            {
                return null;
            }

            var firstLine = File.ReadLines(DriverVersionFile).FirstOrDefault() ?? string.Empty;
            var marker = firstLine.IndexOf("Kernel Module", StringComparison.Ordinal);
            var tail = marker >= 0 ? firstLine[(marker + "Kernel Module".Length)..].Trim() : firstLine.Trim();
            return tail.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>GPU names from <c>nvidia-smi</c>, or null when it is missing, fails or times out.</summary>
    private static async Task<IReadOnlyList<string>?> QueryNvidiaSmiAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("nvidia-smi")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--query-gpu=name");
        start.ArgumentList.Add("--format=csv,noheader");
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("nvidia-smi did not start");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return null;
        }

        using (process)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(SmiTimeout);
            try
            {
                var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
                var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
                var text = await stdout.ConfigureAwait(false);
                await stderr.ConfigureAwait(false);
                return process.ExitCode == 0
                    ? text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    : null;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                return null;
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }
        }
    }
}
