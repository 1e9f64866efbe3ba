using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Provenance.Api.Hosting;

namespace Provenance.Cli.Commands;

/// <summary><c>provenance serve</c>: the HTTP service (API and web pages).</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls")
        {
            Description = "Addresses to listen on.",
            DefaultValueFactory = _ => ProvenanceHost.DefaultUrls,
        };
        var cmd = new Command("serve", "Run the HTTP service (API and web pages).") { urls };
        cmd.SetAction(async (parse, ct) =>
        {
            await using var app = ProvenanceHost.Build([], parse.GetValue(urls));
            await app.StartAsync(ct);
            await app.WaitForShutdownAsync(ct);
            return 0;
        });
        return cmd;
    }
}
