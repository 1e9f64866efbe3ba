using System.Diagnostics;
using Provenance.Testing;

namespace Provenance.Generator.Tests.Pipeline;

public sealed class KillTests
{
    [Fact]
    public async Task KillingTheProcessMidGeneration_LeavesNoFileAtTheOutputPath()
    {
        using var dir = new TempFolder("provenance-generator-kill-");
        var output = dir.File("clip.mp4");
        var assembly = typeof(StampingChildProcess).Assembly.Location;
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { assembly, "stamp-child", output, "30" })
        {
            info.ArgumentList.Add(a);
        }
        using var child = Process.Start(info)!;
        _ = child.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        string? line;
        var frames = 0;
        while ((line = await child.StandardOutput.ReadLineAsync(timeout.Token)) is not null)
        {
            if (line.StartsWith("frames ", StringComparison.Ordinal) && int.Parse(line[7..], System.Globalization.CultureInfo.InvariantCulture) >= 48)
            {
                frames = int.Parse(line[7..], System.Globalization.CultureInfo.InvariantCulture);
                break;
            }
        }
        Assert.True(frames >= 48, "the child never got into generation");
        // Encoded data exists by now (the encoder's temporary file), but nothing at the output path.
        Assert.NotEmpty(Directory.GetFiles(dir.Path));
        child.Kill(entireProcessTree: true);
        await child.WaitForExitAsync(timeout.Token);

        Assert.False(File.Exists(output));
        Assert.False(File.Exists(output + ".receipt.json"));
        Assert.All(Directory.GetFiles(dir.Path), f => Assert.StartsWith(".", Path.GetFileName(f)));
    }
}
