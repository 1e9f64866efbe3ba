using System.CommandLine;
using Provenance.Cli.Commands;

// The `provenance` command. Each area adds its commands in its own file under Commands/.
var root = new RootCommand("Provenance: generate stamped clips, scan uploads, verify Content Credentials.");
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(DoctorCommand.Create());
root.Subcommands.Add(ScanCommands.Create());
root.Subcommands.Add(EvalCommands.Create());
root.Subcommands.Add(ApiKeyCommands.Create());
root.Subcommands.Add(WorkerCommand.Create());
root.Subcommands.Add(DbCommands.Create());
root.Subcommands.Add(LedgerCommands.Create());
root.Subcommands.Add(MediaCommands.Create());
root.Subcommands.Add(KeysCommands.Create());
root.Subcommands.Add(SignCommands.Sign());
root.Subcommands.Add(SignCommands.Verify());
root.Subcommands.Add(TsaCommands.Create());
root.Subcommands.Add(WatermarkCommands.Create());
foreach (var command in GenerateCommands.Create())
{
    root.Subcommands.Add(command);
}
return await root.Parse(args).InvokeAsync();
