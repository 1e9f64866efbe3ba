using System.CommandLine;

namespace Provenance.Cli.Commands;

/// <summary><c>provenance serve</c>: the HTTP service.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = "Addresses to listen on.", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var cmd = new Command("serve", "Run the HTTP service (API and web pages).") { urls };
        cmd.SetAction(async (parse, ct) =>
        {
            await Task.Yield();
            Console.Error.WriteLine($"serve: not yet wired ({parse.GetValue(urls)})");
            return 1;
        });
        return cmd;
    }
}
