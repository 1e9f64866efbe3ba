using Provenance.Api.Generation;
using Provenance.Api.Scans;

namespace Provenance.Api.Jobs;

/// <summary>The handlers workers run, one per job kind.</summary>
public static class JobHandlerRegistration
{
    public static IServiceCollection AddJobHandlers(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IJobHandler, ScanJobHandler>();
        services.AddSingleton<IJobHandler, GenerationJobHandler>();
        services.AddSingleton<IJobHandler, StampJobHandler>();
        return services;
    }
}
