using Provenance.Api.Health;

namespace Provenance.Api.Hosting;

/// <summary>Registers the service's parts and maps its endpoints.</summary>
public static class ServiceRegistration
{
    public static WebApplicationBuilder AddProvenanceServices(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        builder.Services.AddProvenanceCore(builder.Configuration);
        return builder;
    }

    /// <summary>The parts shared by the HTTP host and the command line (database, readiness).</summary>
    public static IServiceCollection AddProvenanceCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<DatabaseProvider>();
        services.AddHostedService(sp => sp.GetRequiredService<DatabaseProvider>());
        services.AddSingleton<ReadinessProbe>();
        return services;
    }

    public static WebApplication MapProvenance(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapHealthApi();
        return app;
    }
}
