using System.CommandLine;
using System.Text.Json;
using Provenance.Signer;
using Provenance.Signer.Certificates;
using Provenance.Signer.Embedding;
using Provenance.Signer.Manifest;
using Provenance.Signer.Signing;
using Provenance.Signer.TimeStamping;
using Provenance.Signer.Verification;

namespace Provenance.Cli.Commands;

/// <summary><c>provenance sign</c> and <c>provenance verify</c>: Content Credentials for MP4/MOV files.</summary>
internal static class SignCommands
{
    public static Command Sign()
    {
        var input = new Argument<string>("input") { Description = "The MP4/MOV to sign." };
        var output = new Argument<string>("output") { Description = "Where to write the signed file." };
        var keys = SignerSettings.KeysOption();
        var cert = new Option<string?>("--cert") { Description = "PEM certificate chain (end entity first). Default: the key folder's signer." };
        var key = new Option<string?>("--key") { Description = "PKCS#8 private key (PEM; encrypted keys use the configured passphrase)." };
        var alg = new Option<string?>("--alg") { Description = "Signature algorithm (default: from the key: es256/es384/es512, ps256 for RSA)." };
        var tsa = new Option<string?>("--tsa") { Description = "RFC 3161 time-stamp authority URL (default: Provenance:Signing:TimeStampUrl)." };
        var title = new Option<string?>("--title") { Description = "dc:title of the manifest (default: the output file name)." };
        var generator = new Option<string>("--generator") { Description = "Generator named in the c2pa.created action.", DefaultValueFactory = _ => "Provenance Generator" };
        var model = new Option<string?>("--model") { Description = "Model name." };
        var modelVersion = new Option<string?>("--model-version") { Description = "Model version." };
        var cmd = new Command("sign", "Sign a clip as AI-generated (c2pa.created, trainedAlgorithmicMedia) and embed the manifest.")
            { input, output, keys, cert, key, alg, tsa, title, generator, model, modelVersion };
        cmd.SetAction(async (parse, ct) =>
        {
            try
            {
                SigningAlgorithm? algorithm = null;
                if (parse.GetValue(alg) is { } a)
                {
                    if (!SignerSettings.TryAlgorithm(a, out var parsed)) return 2;
                    algorithm = parsed;
                }
                var folder = SignerSettings.KeyFolder(parse.GetValue(keys));
                if ((parse.GetValue(cert) is null) != (parse.GetValue(key) is null))
                {
                    Console.Error.WriteLine("error: give both --cert and --key, or neither (default keys)");
                    return 2;
                }
                var config = SignerSettings.Configuration();
                using var signer = parse.GetValue(cert) is { } c
                    ? X509Signer.FromPemFiles(c, parse.GetValue(key)!, config["Provenance:Keys:Passphrase"] ?? Environment.GetEnvironmentVariable(KeyFolder.PassphraseEnvironmentVariable), algorithm)
                    : folder.LoadSigner();
                using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
                var tsaUrl = parse.GetValue(tsa) ?? config["Provenance:Signing:TimeStampUrl"];
                ITimeStamper? stamper = string.IsNullOrEmpty(tsaUrl) ? null : new TimeStampClient(http, new Uri(tsaUrl));
                var outPath = parse.GetValue(output)!;
                var manifest = new ClipManifest
                {
                    Title = parse.GetValue(title) ?? Path.GetFileName(outPath),
                    Generator = new SoftwareAgent(parse.GetValue(generator)!, null, parse.GetValue(model), parse.GetValue(modelVersion)),
                    CreatedAt = DateTimeOffset.UtcNow,
                };
                var signed = await Mp4Embedder.SignAsync(parse.GetValue(input)!, outPath, manifest, signer, stamper, ct);
                Console.WriteLine($"signed {outPath}: manifest {signed.ManifestLabel}, {signer.Algorithm.Name()}{(signed.TimeStamped ? ", time-stamped" : "")}");
                Console.WriteLine($"manifest store sha256 {Convert.ToHexStringLower(signed.ManifestStoreSha256)}");
                Console.WriteLine($"claim signature sha256 {Convert.ToHexStringLower(signed.SignatureSha256)}");
                return 0;
            }
            catch (Exception e) when (e is KeyMaterialException or EmbeddingException or TimeStampException or IOException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return cmd;
    }

    public static Command Verify()
    {
        var file = new Argument<string>("file") { Description = "The MP4/MOV to verify." };
        var trust = new Option<string[]>("--trust") { Description = "PEM trust anchors (repeatable). Default: Provenance:Verify:TrustAnchors, else the key folder's root CA." };
        var keys = SignerSettings.KeysOption();
        var json = new Option<bool>("--json") { Description = "Print one JSON object: state, statuses [{code, url, explanation}], activeManifest." };
        var cmd = new Command("verify", "Verify a file's Content Credentials. Exit 0 = Valid or Trusted, 1 = Invalid, 3 = no manifest.") { file, trust, keys, json };
        cmd.SetAction(async (parse, ct) =>
        {
            try
            {
                var folder = SignerSettings.KeyFolder(parse.GetValue(keys));
                var anchors = parse.GetValue(trust) is { Length: > 0 } given ? given
                    : SignerSettings.Configuration()["Provenance:Verify:TrustAnchors"]?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                      ?? (File.Exists(folder.RootCertificatePath) ? [folder.RootCertificatePath] : []);
                var trustList = TrustList.FromPemFiles(anchors, folder.LoadRevocations());
                var result = await C2paVerifier.VerifyAsync(parse.GetValue(file)!, trustList, ct);
                if (parse.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(result, JsonOptions));
                else VerificationPrinter.Print(result, Console.Out);
                return result.State switch { C2paState.Valid or C2paState.Trusted => 0, C2paState.Absent => 3, _ => 1 };
            }
            catch (Exception e) when (e is KeyMaterialException or IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 2;
            }
        });
        return cmd;
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };
}

/// <summary>The human-readable verification report: a manifest tree, then every status.</summary>
internal static class VerificationPrinter
{
    public static void Print(C2paValidationResult result, TextWriter o)
    {
        o.WriteLine($"State: {result.State}");
        if (result.ActiveManifest is { } m)
        {
            o.WriteLine($"Active manifest {m.Label} (claim v{m.ClaimVersion})");
            o.WriteLine($"├─ title: {m.Title ?? "-"}");
            o.WriteLine($"├─ claim generator: {string.Join("; ", m.ClaimGenerator.Select(g => g.Version is null ? g.Name : $"{g.Name} {g.Version}"))}");
            if (m.Signature is { } s)
            {
                o.WriteLine($"├─ signature: {s.Algorithm}");
                o.WriteLine($"│  ├─ signer: {s.Subject}");
                o.WriteLine($"│  ├─ issuer: {s.Issuer}");
                o.WriteLine($"│  └─ signing time: {(s.SigningTime is { } t ? $"{t:O} (time-stamp)" : s.TimeStamped ? "time-stamp not trusted" : "not time-stamped")}");
            }
            o.WriteLine($"├─ actions");
            foreach (var (a, i) in m.Actions.Select((a, i) => (a, i)))
                o.WriteLine($"│  {(i == m.Actions.Count - 1 ? "└─" : "├─")} {a.Action}{(a.DigitalSourceType is null ? "" : $" [{a.DigitalSourceType[(a.DigitalSourceType.LastIndexOf('/') + 1)..]}]")}{(a.SoftwareAgent is null ? "" : $" by {a.SoftwareAgent}")}{(a.When is null ? "" : $" at {a.When}")}");
            o.WriteLine($"├─ soft bindings: {(m.SoftBindings.Count == 0 ? "none" : string.Join(", ", m.SoftBindings.Select(b => b.Algorithm)))}");
            o.WriteLine($"├─ assertions: {string.Join(", ", m.Assertions)}");
            o.WriteLine($"└─ ingredients: {(m.Ingredients.Count == 0 ? "none" : string.Join(", ", m.Ingredients.Select(x => $"{x.Title} ({x.Relationship})")))}");
        }
        o.WriteLine("Statuses:");
        foreach (var s in result.Statuses)
        {
            var mark = s.Kind switch { ValidationStatusKind.Success => "ok  ", ValidationStatusKind.Informational => "info", _ => "FAIL" };
            o.WriteLine($"  {mark} {s.Code}  {s.Explanation}{(s.Url is null ? "" : $"  <{s.Url}>")}");
        }
    }
}
