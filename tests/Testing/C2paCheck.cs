using System.Diagnostics;
using System.Text.Json;

namespace Provenance.Testing;

/// <summary>Runs the c2pa-rs checker (.tools/c2pa-check: check.js, sign.js, tamper.js) installed by scripts/setup.sh --tests.</summary>
public static class C2paCheck
{
    private static readonly Lazy<string> Folder = new(Locate);

    public static string Directory => Folder.Value;

    /// <summary>One c2pa-rs report: state, and the codes of success/informational/failure statuses.</summary>
    public sealed record Report(string Verdict, string? State, IReadOnlyList<string> Success, IReadOnlyList<string> Failure, string Json);

    public static async Task<IReadOnlyList<Report>> CheckAsync(string file, string? trustPem, string engine = "node")
    {
        var args = new List<string> { "check.js", file, "--engine", engine };
        if (trustPem is not null) args.AddRange(["--trust", trustPem]);
        var (_, stdout, stderr) = await RunAsync(args);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(stdout);
        }
        catch (JsonException)
        {
            throw new InvalidOperationException($"check.js output is not JSON: {stdout}\n{stderr}");
        }
        var root = doc.RootElement;
        var reports = root.TryGetProperty("reports", out var many) ? many.EnumerateArray().ToList() : [root];
        return reports.Select(r => ToReport(r)).ToList();
    }

    public static async Task SignAsync(string input, string output, string cert, string key, string alg)
    {
        var (code, stdout, stderr) = await RunAsync(["sign.js", input, output, "--cert", cert, "--key", key, "--alg", alg]);
        if (code != 0) throw new InvalidOperationException($"sign.js failed ({code}): {stdout}\n{stderr}");
    }

    public static async Task TamperAsync(string input, string output, string box, long? at = null)
    {
        var args = new List<string> { "tamper.js", input, output, "--box", box };
        if (at is not null) args.AddRange(["--at", at.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        var (code, stdout, stderr) = await RunAsync(args);
        if (code != 0) throw new InvalidOperationException($"tamper.js failed ({code}): {stdout}\n{stderr}");
    }

    /// <summary>Makes an ES key pair and test CA with the checker's own script (openssl).</summary>
    public static async Task GenerateCertificatesAsync(string alg, string folder)
    {
        var (code, stdout, stderr) = await RunProcessAsync("bash", [Path.Combine(Directory, "gen-test-certs.sh"), alg, folder], Directory);
        if (code != 0) throw new InvalidOperationException($"gen-test-certs.sh failed: {stdout}\n{stderr}");
    }

    private static Report ToReport(JsonElement r)
    {
        var success = new List<string>();
        var failure = new List<string>();
        if (r.TryGetProperty("validation_results", out var vr) && vr.ValueKind == JsonValueKind.Object
            && vr.TryGetProperty("activeManifest", out var am))
        {
            foreach (var s in am.GetProperty("success").EnumerateArray()) success.Add(s.GetProperty("code").GetString()!);
            foreach (var s in am.GetProperty("failure").EnumerateArray()) failure.Add(s.GetProperty("code").GetString()!);
        }
        var state = r.TryGetProperty("validation_state", out var st) && st.ValueKind == JsonValueKind.String ? st.GetString() : null;
        return new Report(r.GetProperty("verdict").GetString()!, state, success, failure, r.GetRawText());
    }

    private static Task<(int Code, string Stdout, string Stderr)> RunAsync(IReadOnlyList<string> args) => RunProcessAsync("node", args, Directory);

    public static async Task<(int Code, string Stdout, string Stderr)> RunProcessAsync(string file, IReadOnlyList<string> args, string workingDirectory)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} timed out");
        }
        return (process.ExitCode, await stdout, await stderr);
    }

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Provenance.sln")))
            {
                var tool = Path.Combine(dir.FullName, ".tools", "c2pa-check");
                if (File.Exists(Path.Combine(tool, "check.js")) && System.IO.Directory.Exists(Path.Combine(tool, "node_modules"))) return tool;
                throw new InvalidOperationException($"the c2pa-rs checker is not installed at {tool}: run scripts/setup.sh --tests");
            }
        }
        throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory + ": run scripts/setup.sh --tests");
    }
}
