using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Provenance.Signer;
using Provenance.Signer.Certificates;

namespace Provenance.Cli.Commands;

/// <summary>Where keys live and how they are unlocked: <c>Provenance:Keys:Directory</c>, <c>Provenance:Keys:Passphrase</c> / <c>PROVENANCE_KEYS_PASSPHRASE</c>.</summary>
internal static class SignerSettings
{
    public static IConfiguration Configuration() => new ConfigurationBuilder()
        .SetBasePath(Directory.GetCurrentDirectory())
        .AddJsonFile("appsettings.json", optional: true)
        .AddEnvironmentVariables()
        .Build();

    public static KeyFolder KeyFolder(string? directoryOverride)
    {
        var config = Configuration();
        // The same default as the service (DATA/keys), so keys made here are the ones `serve` signs and verifies with.
        var directory = directoryOverride ?? config["Provenance:Keys:Directory"]
            ?? (config["Provenance:DataDirectory"] is { Length: > 0 } data ? Path.Combine(data, "keys") : Signer.Certificates.KeyFolder.DefaultDirectory);
        var passphrase = config["Provenance:Keys:Passphrase"] ?? Environment.GetEnvironmentVariable(Signer.Certificates.KeyFolder.PassphraseEnvironmentVariable);
        return new KeyFolder(directory, passphrase);
    }

    public static Option<string?> KeysOption() => new("--keys") { Description = "Key folder (default: Provenance:Keys:Directory, else DATA/keys with DATA = Provenance:DataDirectory or .data)." };

    public static bool TryAlgorithm(string? name, out SigningAlgorithm alg)
    {
        if (SigningAlgorithms.TryParse(name, out alg)) return true;
        Console.Error.WriteLine($"error: unknown algorithm '{name}' (es256, es384, es512, ps256, ps384, ps512)");
        return false;
    }
}

/// <summary><c>provenance keys init-ca | issue | export-ca | revoke</c>: the signing certificate authority.</summary>
internal static class KeysCommands
{
    public static Command Create()
    {
        var cmd = new Command("keys", "Manage the C2PA signing CA, claim-signing and time-stamping certificates (keys encrypted at rest).");
        cmd.Subcommands.Add(InitCa());
        cmd.Subcommands.Add(Issue());
        cmd.Subcommands.Add(ExportCa());
        cmd.Subcommands.Add(Revoke());
        return cmd;
    }

    private static Command InitCa()
    {
        var keys = SignerSettings.KeysOption();
        var org = new Option<string>("--org") { Description = "Organisation named in the CA certificates.", DefaultValueFactory = _ => "Provenance" };
        var alg = new Option<string>("--alg") { Description = "CA key algorithm (es256, es384, ps256...).", DefaultValueFactory = _ => "es384" };
        var force = new Option<bool>("--force") { Description = "Replace an existing CA." };
        var cmd = new Command("init-ca", "Create a root and an intermediate CA in the key folder.") { keys, org, alg, force };
        cmd.SetAction(parse => Run(() =>
        {
            if (!SignerSettings.TryAlgorithm(parse.GetValue(alg), out var a)) return 2;
            var folder = SignerSettings.KeyFolder(parse.GetValue(keys));
            var (root, intermediate) = folder.InitCa(parse.GetValue(org)!, a, parse.GetValue(force));
            Console.WriteLine($"root:         {root.Subject} (until {root.NotAfter:yyyy-MM-dd}) -> {folder.RootCertificatePath}");
            Console.WriteLine($"intermediate: {intermediate.Subject} (until {intermediate.NotAfter:yyyy-MM-dd}) -> {folder.IntermediateCertificatePath}");
            return 0;
        }));
        return cmd;
    }

    private static Command Issue()
    {
        var keys = SignerSettings.KeysOption();
        var name = new Option<string>("--name") { Description = "Common name of the certificate.", DefaultValueFactory = _ => "Provenance Claim Signer" };
        var alg = new Option<string>("--alg") { Description = "Key algorithm: es256, es384, es512, ps256, ps384, ps512.", DefaultValueFactory = _ => "es256" };
        var days = new Option<int>("--days") { Description = "Validity in days.", DefaultValueFactory = _ => 365 };
        var tsa = new Option<bool>("--tsa") { Description = "Issue the time-stamping certificate (timeStamping EKU only) instead of the claim signer." };
        var cmd = new Command("issue", "Issue the claim-signing certificate (C2PA claim signing EKU, KU digitalSignature, AKI/SKI) under the intermediate CA.")
            { keys, name, alg, days, tsa };
        cmd.SetAction(parse => Run(() =>
        {
            if (!SignerSettings.TryAlgorithm(parse.GetValue(alg), out var a)) return 2;
            var folder = SignerSettings.KeyFolder(parse.GetValue(keys));
            var lifetime = TimeSpan.FromDays(Math.Clamp(parse.GetValue(days), 1, 3650));
            bool forTsa = parse.GetValue(tsa);
            var cert = forTsa ? folder.IssueTimeStamping(parse.GetValue(name) == "Provenance Claim Signer" ? "Provenance Time-Stamping Authority" : parse.GetValue(name)!, a, lifetime)
                : folder.IssueClaimSigner(parse.GetValue(name)!, a, lifetime);
            Console.WriteLine($"{(forTsa ? "tsa" : "signer")}: {cert.Subject} serial {cert.SerialNumber} (until {cert.NotAfter:yyyy-MM-dd}) -> {(forTsa ? folder.TimeStampingChainPath : folder.SignerChainPath)}");
            return 0;
        }));
        return cmd;
    }

    private static Command ExportCa()
    {
        var keys = SignerSettings.KeysOption();
        var path = new Argument<string>("path") { Description = "Where to write the root certificate (PEM), the trust anchor verifiers need." };
        var cmd = new Command("export-ca", "Write the root CA certificate as a PEM trust anchor.") { keys, path };
        cmd.SetAction(parse => Run(() =>
        {
            var folder = SignerSettings.KeyFolder(parse.GetValue(keys));
            folder.ExportCa(parse.GetValue(path)!);
            Console.WriteLine($"wrote {parse.GetValue(path)}");
            return 0;
        }));
        return cmd;
    }

    private static Command Revoke()
    {
        var keys = SignerSettings.KeysOption();
        var cert = new Option<string?>("--cert") { Description = "PEM certificate to revoke (default: the key folder's claim signer)." };
        var reason = new Option<string?>("--reason") { Description = "Why (e.g. keyCompromise, superseded)." };
        var cmd = new Command("revoke", "Add a certificate to the key folder's revocation list, which the verifier consults.") { keys, cert, reason };
        cmd.SetAction(parse => Run(() =>
        {
            var folder = SignerSettings.KeyFolder(parse.GetValue(keys));
            var target = PemFiles.ReadCertificates(parse.GetValue(cert) ?? folder.SignerChainPath)[0];
            var list = folder.LoadRevocations();
            var entry = list.Revoke(target, DateTimeOffset.UtcNow, parse.GetValue(reason));
            list.Save(folder.RevocationListPath);
            Console.WriteLine($"revoked {target.Subject} serial {entry.SerialNumber} at {entry.RevokedAt:O}");
            return 0;
        }));
        return cmd;
    }

    private static int Run(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (KeyMaterialException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }
}
