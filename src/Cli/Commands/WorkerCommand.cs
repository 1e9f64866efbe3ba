using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Configuration;
using Provenance.Api.Hosting;
using Provenance.Api.Jobs;

namespace Provenance.Cli.Commands;

/// <summary><c>provenance worker</c>: a process that only runs jobs, for scale-out beside the HTTP service.</summary>
internal static class WorkerCommand
{
    public static Command Create()
    {
        var cmd = new Command("worker", "Claim and run queued jobs (scans, generations, stamps) until stopped.");
        cmd.SetAction(async (parse, ct) =>
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Configuration.AddConfiguration(CliHost.LoadConfiguration());
            builder.Services.AddProvenanceCore(builder.Configuration);
            builder.Services.AddJobHandlers(builder.Configuration);
            builder.Services.AddJobWorkers();
            using var host = builder.Build();
            await host.RunAsync(ct);
            return 0;
        });
        return cmd;
    }
}
