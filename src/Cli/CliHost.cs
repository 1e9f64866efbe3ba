using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Provenance.Api.Hosting;

namespace Provenance.Cli;

/// <summary>
/// Configuration and services for commands that do not run the HTTP host: the same sources as the service
/// (appsettings.json in the working directory, then environment variables such as <c>ConnectionStrings__Ledger</c>).
/// </summary>
internal static class CliHost
{
    public static IConfiguration LoadConfiguration() => new ConfigurationBuilder()
        .SetBasePath(Directory.GetCurrentDirectory())
        .AddJsonFile("appsettings.json", optional: true)
        .AddEnvironmentVariables()
        .Build();

    /// <summary>A service provider with the core parts; dispose it to stop what it started (the embedded cluster).</summary>
    public static ServiceProvider CreateServices(LogLevel minimumLevel = LogLevel.Warning)
    {
        var configuration = LoadConfiguration();
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        // Logs go to stderr: stdout is kept for the command's own output (JSON, keys).
        services.AddLogging(b => b
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
            .AddSimpleConsole(o => o.SingleLine = true)
            .SetMinimumLevel(minimumLevel));
        services.AddProvenanceCore(configuration);
        return services.BuildServiceProvider();
    }
}
