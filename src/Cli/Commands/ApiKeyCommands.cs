using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Provenance.Api.Auth;
using Spectre.Console;

namespace Provenance.Cli.Commands;

/// <summary><c>provenance apikey create | list | rotate | revoke</c>: keys for the HTTP API.</summary>
internal static class ApiKeyCommands
{
    public static Command Create()
    {
        var cmd = new Command("apikey", "Manage API keys (hashed at rest; a new key's secret is shown once).");
        cmd.Subcommands.Add(CreateKey());
        cmd.Subcommands.Add(List());
        cmd.Subcommands.Add(Rotate());
        cmd.Subcommands.Add(Revoke());
        return cmd;
    }

    private static Command CreateKey()
    {
        var scopes = new Option<string[]>("--scope") { Description = "scan, generate or admin (repeat for several).", Required = true, AllowMultipleArgumentsPerToken = true };
        var name = new Option<string>("--name") { Description = "Who or what the key is for.", DefaultValueFactory = _ => "unnamed" };
        var cmd = new Command("create", "Create a key; prints the key alone on the last line.") { scopes, name };
        cmd.SetAction(async (parse, ct) =>
        {
            await using var services = CliHost.CreateServices();
            var store = services.GetRequiredService<ApiKeyStore>();
            try
            {
                var (key, secret) = await store.CreateAsync(parse.GetValue(name)!, parse.GetValue(scopes)!, "cli", ct);
                Console.Error.WriteLine($"Created key {key.KeyId} ({key.Name}) with scopes {string.Join(", ", key.Scopes)}. Store it now: it is not shown again.");
                Console.WriteLine(secret.ToString());
                return 0;
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 2;
            }
        });
        return cmd;
    }

    private static Command List()
    {
        var cmd = new Command("list", "List keys (ids, names, scopes, state; never secrets).");
        cmd.SetAction(async (parse, ct) =>
        {
            await using var services = CliHost.CreateServices();
            var keys = await services.GetRequiredService<ApiKeyStore>().ListAsync(ct);
            var table = new Table().AddColumns("id", "name", "scopes", "created", "state", "last used");
            foreach (var k in keys)
            {
                table.AddRow(k.KeyId, Markup.Escape(k.Name), string.Join(",", k.Scopes), k.CreatedAt.ToString("u"),
                    k.Active ? "active" : k.ReplacedBy is { } r ? $"rotated → {r}" : "revoked", k.LastUsedAt?.ToString("u") ?? "-");
            }
            AnsiConsole.Write(table);
            return 0;
        });
        return cmd;
    }

    private static Command Rotate()
    {
        var id = new Argument<string>("id") { Description = "The key id (as listed)." };
        var cmd = new Command("rotate", "Replace a key with a new one of the same scopes; the old one stops working.") { id };
        cmd.SetAction(async (parse, ct) =>
        {
            await using var services = CliHost.CreateServices();
            var rotated = await services.GetRequiredService<ApiKeyStore>().RotateAsync(parse.GetValue(id)!, "cli", ct);
            if (rotated is not { } r)
            {
                Console.Error.WriteLine($"error: no active key {parse.GetValue(id)}");
                return 1;
            }
            Console.Error.WriteLine($"Key {parse.GetValue(id)} revoked; its replacement is {r.Key.KeyId}. Store it now: it is not shown again.");
            Console.WriteLine(r.Secret.ToString());
            return 0;
        });
        return cmd;
    }

    private static Command Revoke()
    {
        var id = new Argument<string>("id") { Description = "The key id (as listed)." };
        var cmd = new Command("revoke", "Revoke a key at once.") { id };
        cmd.SetAction(async (parse, ct) =>
        {
            await using var services = CliHost.CreateServices();
            if (!await services.GetRequiredService<ApiKeyStore>().RevokeAsync(parse.GetValue(id)!, "cli", ct))
            {
                Console.Error.WriteLine($"error: no active key {parse.GetValue(id)}");
                return 1;
            }
            Console.Error.WriteLine($"Key {parse.GetValue(id)} revoked.");
            return 0;
        });
        return cmd;
    }
}
