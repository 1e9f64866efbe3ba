using System.Diagnostics;

namespace Provenance.Cli.Tests;

/// <summary>Runs the built <c>provenance</c> command as a separate process, as users and scripts do.</summary>
internal static class CliProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Task<Result> RunAsync(IReadOnlyDictionary<string, string> environment, string workingDirectory, params string[] args) =>
        RunDllAsync(Path.Combine(AppContext.BaseDirectory, "provenance.dll"), environment, workingDirectory, args);

    /// <summary>Runs a built .NET program (<paramref name="dll"/>) with <c>dotnet</c>; gives up after 3 minutes.</summary>
    public static async Task<Result> RunDllAsync(string dll, IReadOnlyDictionary<string, string> environment, string workingDirectory, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        psi.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        foreach (var (k, v) in environment)
        {
            psi.Environment[k] = v;
        }
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {dll}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileNameWithoutExtension(dll)} {string.Join(' ', args)} did not finish in 3 minutes");
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
