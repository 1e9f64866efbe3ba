using System.Diagnostics;
using System.Text;

namespace Provenance.Ledger.Database;

/// <summary>The outcome of one external command.</summary>
internal sealed record CommandResult(int ExitCode, string Output, string Error)
{
    public bool Succeeded => ExitCode == 0;
    public string Combined => (Output + "\n" + Error).Trim();
}

/// <summary>Runs PostgreSQL's tools, as an unprivileged account when this process runs as root.</summary>
internal sealed class CommandRunner(UnixAccount? runAs)
{
    public UnixAccount? RunAs { get; } = runAs;

    public async Task<CommandResult> RunAsync(string program, IEnumerable<string> arguments, TimeSpan timeout, CancellationToken ct)
    {
        var info = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            // The account running the tools must be able to enter the working directory.
            WorkingDirectory = "/",
        };
        if (RunAs is not null)
        {
            info.FileName = "runuser";
            info.ArgumentList.Add("-u");
            info.ArgumentList.Add(RunAs.Name);
            info.ArgumentList.Add("--");
            info.ArgumentList.Add(program);
        }
        else
        {
            info.FileName = program;
        }
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        info.Environment["LC_ALL"] = "C";
        info.Environment.Remove("PGDATA");

        using var process = new Process { StartInfo = info };
        try { process.Start(); }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new EmbeddedPostgresException(EmbeddedPostgresFailure.BinariesMissing, $"cannot run {info.FileName}: {e.Message}", e);
        }
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
            return new CommandResult(process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            ct.ThrowIfCancellationRequested();
            return new CommandResult(-1, Tail(output), $"timed out after {timeout.TotalSeconds:0} s\n" + Tail(error));
        }
    }

    private static string Tail(Task<string> text) => text.IsCompletedSuccessfully ? text.Result : "";

    /// <summary>Shell-free quoting is not needed: arguments go through ArgumentList. This only formats for messages.</summary>
    public static string Describe(string program, IEnumerable<string> arguments)
    {
        var text = new StringBuilder(Path.GetFileName(program));
        foreach (var a in arguments) text.Append(' ').Append(a);
        return text.ToString();
    }
}
