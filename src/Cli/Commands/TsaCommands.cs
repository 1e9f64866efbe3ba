using System.CommandLine;
using Provenance.Signer;
using Provenance.Signer.Certificates;
using Provenance.Signer.TimeStamping;

namespace Provenance.Cli.Commands;

/// <summary><c>provenance tsa serve</c>: a development RFC 3161 time-stamp authority.</summary>
internal static class TsaCommands
{
    public static Command Create()
    {
        var cmd = new Command("tsa", "RFC 3161 time-stamping for claim signatures.");
        cmd.Subcommands.Add(Serve());
        return cmd;
    }

    private static Command Serve()
    {
        var keys = SignerSettings.KeysOption();
        var url = new Option<string>("--url") { Description = "Address to listen on (HttpListener prefix).", DefaultValueFactory = _ => "http://127.0.0.1:3161/" };
        var cmd = new Command("serve", "Serve time-stamps signed by the key folder's TSA certificate (issued on first use; timeStamping EKU only).") { keys, url };
        cmd.SetAction(async (parse, ct) =>
        {
            try
            {
                var folder = SignerSettings.KeyFolder(parse.GetValue(keys));
                if (!File.Exists(folder.TimeStampingChainPath))
                {
                    var issued = folder.IssueTimeStamping("Provenance Time-Stamping Authority", SigningAlgorithm.Es256, TimeSpan.FromDays(365));
                    Console.Error.WriteLine($"issued TSA certificate {issued.Subject} -> {folder.TimeStampingChainPath}");
                }
                var (certificate, chain) = folder.LoadTimeStamping();
                var prefix = parse.GetValue(url)!;
                if (!prefix.EndsWith('/')) prefix += "/";
                using var server = new TimeStampServer(new TimeStampAuthority(certificate, chain), prefix);
                Console.Error.WriteLine($"time-stamp authority listening on {server.Url} (POST application/timestamp-query); Ctrl+C stops");
                await server.RunAsync(ct);
                return 0;
            }
            catch (KeyMaterialException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return cmd;
    }
}
