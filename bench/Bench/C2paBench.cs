using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Provenance.Signer;
using Provenance.Signer.Certificates;
using Provenance.Signer.Embedding;
using Provenance.Signer.Manifest;
using Provenance.Signer.Signing;
using Provenance.Signer.Verification;

namespace Provenance.Bench;

/// <summary>
/// <c>bench/run.sh c2pa</c>: sign+embed and verify of 60 s 720p and 1080p MP4s, ours against c2pa-rs
/// (c2pa-node, timed in-process in one Node run over the same files) as time ratios (ours / c2pa-rs, lower is
/// better), and the peak RSS of a child process that signs and verifies a 2 GB file.
/// Options: <c>--runs N</c> rounds, alternating the two implementations (default 7), <c>--skip-2gb</c>.
/// </summary>
internal static class C2paBench
{
    /// <summary>What <c>bench/run.sh c2pa</c> accepts (checked before it runs).</summary>
    public static BenchArgs Arguments { get; } = new("bench/run.sh c2pa [--runs N] [--skip-2gb]", ["--runs"], ["--skip-2gb"], ChildMode);

    /// <summary>The first argument of the child this bench starts to measure its memory alone (`c2pa --rss-child ...`).</summary>
    private const string ChildMode = "--rss-child";

    public static async Task<IReadOnlyDictionary<string, object?>> RunAsync(string[] args, CancellationToken ct)
    {
        if (args.Length >= 3 && args[0] == ChildMode) return await RssChildAsync(args[1], args[2], args.Length > 3 ? args[3] : null, ct);
        int runs = OptionValue(args, "--runs") is { } r ? int.Parse(r, CultureInfo.InvariantCulture) : 7;
        var root = RepoRoot();
        var work = Path.Combine(root, "bench", "out", "c2pa");
        Directory.CreateDirectory(work);
        var checker = Path.Combine(root, ".tools", "c2pa-check");
        if (!File.Exists(Path.Combine(checker, "node_modules", ".ok")))
            throw new InvalidOperationException("the c2pa-rs checker is missing: run scripts/setup.sh --tests");

        // Credentials: our CA, an ES256 signer both implementations use.
        var rootCa = CertificateAuthority.CreateRoot("CN=Bench Root, O=Provenance Bench", SigningAlgorithm.Es256, TimeSpan.FromDays(2));
        var intermediate = CertificateAuthority.CreateIntermediate(rootCa, "CN=Bench Intermediate, O=Provenance Bench", SigningAlgorithm.Es256, TimeSpan.FromDays(2));
        var signerCert = CertificateAuthority.IssueClaimSigner(intermediate, "CN=Bench Signer, O=Provenance Bench", SigningAlgorithm.Es256, TimeSpan.FromDays(2));
        var caPem = Path.Combine(work, "ca.pem");
        var chainPem = Path.Combine(work, "signer.pem");
        var keyPem = Path.Combine(work, "signer.key");
        PemFiles.WriteCertificates(caPem, [rootCa]);
        PemFiles.WriteCertificates(chainPem, [signerCert, intermediate]);
        using (var key = signerCert.GetECDsaPrivateKey()!) await File.WriteAllTextAsync(keyPem, key.ExportPkcs8PrivateKeyPem(), ct);
        var trust = new TrustList([rootCa]);

        var clips = new Dictionary<string, string>
        {
            ["720p"] = await ClipAsync(work, "720p.mp4", "1280x720", "2800k", ct),
            ["1080p"] = await ClipAsync(work, "1080p.mp4", "1920x1080", "6000k", ct),
        };
        var figures = new Dictionary<string, object?>();
        using var signer = new X509Signer([signerCert, intermediate], PemFiles.PrivateKeyOf(signerCert));
        foreach (var (name, clip) in clips)
        {
            // Rounds alternate between the two implementations so that both see the same machine load.
            var oursSign = new List<double>();
            var oursVerify = new List<double>();
            var theirsSign = new List<double>();
            var theirsVerify = new List<double>();
            for (int round = 0; round < runs; round++)
            {
                var o = await TimeOursAsync(clip, Path.Combine(work, $"ours-{name}.mp4"), signer, trust, 1, warmUp: round == 0, ct);
                var t = await TimeC2paRsAsync(checker, clip, Path.Combine(work, $"c2pa-rs-{name}.mp4"), chainPem, keyPem, caPem, 1, ct);
                oursSign.Add(o.Sign);
                oursVerify.Add(o.Verify);
                theirsSign.Add(t.Sign);
                theirsVerify.Add(t.Verify);
            }
            var ours = (Sign: Median(oursSign), Verify: Median(oursVerify));
            var theirs = (Sign: Median(theirsSign), Verify: Median(theirsVerify));
            BenchOutput.Progress($"{name}: ours sign {ours.Sign:F1} ms verify {ours.Verify:F1} ms; c2pa-rs sign {theirs.Sign:F1} ms verify {theirs.Verify:F1} ms");
            figures[$"sign_ratio_{name}"] = Math.Round(ours.Sign / theirs.Sign, 3);
            figures[$"verify_ratio_{name}"] = Math.Round(ours.Verify / theirs.Verify, 3);
            figures[$"sign_ms_{name}"] = Math.Round(ours.Sign, 1);
            figures[$"verify_ms_{name}"] = Math.Round(ours.Verify, 1);
            figures[$"c2pa_rs_sign_ms_{name}"] = Math.Round(theirs.Sign, 1);
            figures[$"c2pa_rs_verify_ms_{name}"] = Math.Round(theirs.Verify, 1);
            figures[$"mb_{name}"] = Math.Round(new FileInfo(clip).Length / 1e6, 1);
        }

        if (!args.Contains("--skip-2gb"))
        {
            var big = await BigClipAsync(work, clips["1080p"], ct);
            var output = Path.Combine(work, "ours-2gb.mp4");
            try
            {
                var child = await RunAsync("dotnet", [typeof(C2paBench).Assembly.Location, "c2pa", ChildMode, big, output, chainPem], work, ct);
                var result = JsonDocument.Parse(child.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement;
                figures["peak_rss_mb_2gb"] = result.GetProperty("peak_rss_mb").GetDouble();
                figures["sign_s_2gb"] = result.GetProperty("sign_s").GetDouble();
                figures["verify_s_2gb"] = result.GetProperty("verify_s").GetDouble();
                figures["gb_2gb"] = Math.Round(new FileInfo(big).Length / 1e9, 2);
            }
            finally
            {
                File.Delete(output);
            }
        }
        return figures;
    }

    private static async Task<(double Sign, double Verify)> TimeOursAsync(string clip, string output, ISigner signer, TrustList trust, int runs,
        bool warmUp, CancellationToken ct)
    {
        var manifest = new ClipManifest { Title = "bench", Generator = new SoftwareAgent("Provenance Bench", "1") };
        if (warmUp)
        {
            await Mp4Embedder.SignAsync(clip, output, manifest, signer, null, ct);
            var state = (await C2paVerifier.VerifyAsync(output, trust, ct)).State;
            if (state != C2paState.Trusted) throw new InvalidOperationException($"our signed clip verified as {state}");
        }
        var sign = new List<double>();
        var verify = new List<double>();
        for (int i = 0; i < runs; i++)
        {
            // Like the c2pa-rs side (fs.rmSync before Builder.sign), the previous output is removed inside the timing:
            // renaming over an existing file makes ext4 flush the new one first (auto_da_alloc).
            var sw = Stopwatch.StartNew();
            File.Delete(output);
            await Mp4Embedder.SignAsync(clip, output, manifest, signer, null, ct);
            sign.Add(sw.Elapsed.TotalMilliseconds);
            sw.Restart();
            await C2paVerifier.VerifyAsync(output, trust, ct);
            verify.Add(sw.Elapsed.TotalMilliseconds);
        }
        return (Median(sign), Median(verify));
    }

    // One Node process: load c2pa-node once, warm up, then time Builder.sign and Reader.fromAsset (with the same trust anchor).
    private static async Task<(double Sign, double Verify)> TimeC2paRsAsync(string checker, string clip, string output, string chain, string key,
        string ca, int runs, CancellationToken ct)
    {
        var script = Path.Combine(checker, "bench-c2pa.mjs");
        await File.WriteAllTextAsync(script, NodeTimer, ct);
        var stdout = await RunAsync("node", [script, clip, output, chain, key, ca, runs.ToString(CultureInfo.InvariantCulture)], checker, ct);
        var json = JsonDocument.Parse(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement;
        if (json.GetProperty("state").GetString() != "Trusted") throw new InvalidOperationException($"c2pa-rs verified its own clip as {json.GetProperty("state")}");
        return (json.GetProperty("sign_ms").GetDouble(), json.GetProperty("verify_ms").GetDouble());
    }

    private const string NodeTimer = """
        import fs from 'node:fs';
        import { performance } from 'node:perf_hooks';
        import { Builder, LocalSigner, Reader } from '@contentauth/c2pa-node';
        const [input, output, chain, key, ca, runsText] = process.argv.slice(2);
        const runs = Number(runsText);
        const definition = { claim_generator_info: [{ name: 'bench', version: '1' }], title: 'bench', assertions: [{ label: 'c2pa.actions.v2', created: true,
          data: { actions: [{ action: 'c2pa.created', digitalSourceType: 'http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia' }] } }] };
        const settings = { verify: { verify_after_reading: true, verify_trust: true, remote_manifest_fetch: false, ocsp_fetch: false },
          trust: { trust_anchors: fs.readFileSync(ca, 'utf8') } };
        const signer = LocalSigner.newSigner(fs.readFileSync(chain), fs.readFileSync(key), 'es256');
        const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };
        async function sign() { fs.rmSync(output, { force: true }); Builder.withJson(definition).sign(signer, { path: input }, { path: output }); }
        async function verify() { const r = await Reader.fromAsset({ path: output }, settings); return r.json().validation_state; }
        await sign(); const state = await verify();
        const s = [], v = [];
        for (let i = 0; i < runs; i++) {
          let t = performance.now(); await sign(); s.push(performance.now() - t);
          t = performance.now(); await verify(); v.push(performance.now() - t);
        }
        console.log(JSON.stringify({ state, sign_ms: median(s), verify_ms: median(v) }));
        """;

    // Child mode: sign and verify one file, report this process's peak resident set (VmHWM).
    private static async Task<IReadOnlyDictionary<string, object?>> RssChildAsync(string input, string output, string? chainPem, CancellationToken ct)
    {
        var root = CertificateAuthority.CreateRoot("CN=Bench Root, O=Provenance Bench", SigningAlgorithm.Es256, TimeSpan.FromDays(1));
        var intermediate = CertificateAuthority.CreateIntermediate(root, "CN=Bench Intermediate, O=Provenance Bench", SigningAlgorithm.Es256, TimeSpan.FromDays(1));
        var cert = CertificateAuthority.IssueClaimSigner(intermediate, "CN=Bench Signer, O=Provenance Bench", SigningAlgorithm.Es256, TimeSpan.FromDays(1));
        _ = chainPem;
        using var signer = new X509Signer([cert, intermediate], PemFiles.PrivateKeyOf(cert));
        var sw = Stopwatch.StartNew();
        await Mp4Embedder.SignAsync(input, output, new ClipManifest { Title = "2gb", Generator = new SoftwareAgent("Provenance Bench") }, signer, null, ct);
        double signSeconds = sw.Elapsed.TotalSeconds;
        sw.Restart();
        var result = await C2paVerifier.VerifyAsync(output, new TrustList([root]), ct);
        double verifySeconds = sw.Elapsed.TotalSeconds;
        if (result.State != C2paState.Trusted) throw new InvalidOperationException($"2 GB clip verified as {result.State}");
        var hwm = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        double kb = double.Parse(hwm.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        return new Dictionary<string, object?> { ["peak_rss_mb"] = Math.Round(kb / 1024, 1), ["sign_s"] = Math.Round(signSeconds, 2), ["verify_s"] = Math.Round(verifySeconds, 2) };
    }

    private static async Task<string> ClipAsync(string work, string name, string size, string bitrate, CancellationToken ct)
    {
        var path = Path.Combine(work, name);
        if (File.Exists(path)) return path;
        BenchOutput.Progress($"encoding {name} (60 s {size})");
        await RunAsync("ffmpeg", ["-hide_banner", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", $"testsrc2=size={size}:rate=30", "-t", "60",
            "-c:v", "libx264", "-preset", "ultrafast", "-b:v", bitrate, "-pix_fmt", "yuv420p", path + ".tmp.mp4"], work, ct);
        File.Move(path + ".tmp.mp4", path);
        return path;
    }

    // About 2 GB: the 1080p clip repeated with stream copy (no re-encode).
    private static async Task<string> BigClipAsync(string work, string clip, CancellationToken ct)
    {
        var path = Path.Combine(work, "2gb.mp4");
        if (File.Exists(path)) return path;
        int copies = (int)Math.Ceiling(2e9 / new FileInfo(clip).Length);
        var list = Path.Combine(work, "2gb.txt");
        await File.WriteAllLinesAsync(list, Enumerable.Repeat($"file '{clip}'", copies), ct);
        BenchOutput.Progress($"building a 2 GB file ({copies} copies of the 1080p clip)");
        await RunAsync("ffmpeg", ["-hide_banner", "-nostdin", "-v", "error", "-y", "-f", "concat", "-safe", "0", "-i", list, "-c", "copy", path + ".tmp.mp4"], work, ct);
        File.Move(path + ".tmp.mp4", path);
        return path;
    }

    private static async Task<string> RunAsync(string file, IReadOnlyList<string> args, string workingDirectory, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} failed ({process.ExitCode}): {await stderr}");
        return await stdout;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }

    private static string? OptionValue(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Provenance.sln"))) return dir.FullName;
        return Directory.GetCurrentDirectory();
    }
}
