using Provenance.Api.Audit;
using Provenance.Api.Auth;
using Provenance.Api.Generation;
using Provenance.Api.Health;
using Provenance.Api.Jobs;
using Provenance.Api.Ledger;
using Provenance.Api.Pages;
using Provenance.Api.Scans;
using Provenance.Api.Uploads;
using Provenance.Api.Verify;
using Provenance.Inference;
using Provenance.Media;

namespace Provenance.Api.Hosting;

/// <summary>Registers the service's parts and maps its endpoints.</summary>
public static class ServiceRegistration
{
    public static WebApplicationBuilder AddProvenanceServices(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        builder.Services.AddProvenanceCore(builder.Configuration);
        builder.Services.AddApiKeyAuth(builder.Configuration);
        builder.Services.Configure<UploadOptions>(builder.Configuration.GetSection("Provenance:Uploads"));
        builder.Services.AddSingleton<UploadStore>();
        builder.Services.AddSingleton<UploadInspector>();
        builder.Services.AddSingleton<UploadRetention>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<UploadRetention>());
        builder.Services.AddJobHandlers(builder.Configuration);
        if (builder.Configuration.GetSection("Provenance:Jobs").Get<JobOptions>()?.InProcessWorkers ?? true)
        {
            builder.Services.AddJobWorkers();
        }
        return builder;
    }

    /// <summary>The parts shared by the HTTP host and the command line (database, media tools, jobs, keys).</summary>
    public static IServiceCollection AddProvenanceCore(this IServiceCollection services, IConfiguration configuration)
    {
        if (configuration[OnnxRuntimeLibrary.ConfigurationKey] is { Length: > 0 } ortPath)
        {
            OnnxRuntimeLibrary.Configure(ortPath);
        }
        services.AddSingleton<DatabaseProvider>();
        services.AddHostedService(sp => sp.GetRequiredService<DatabaseProvider>());
        services.AddSingleton(sp => new FfmpegRunner(configuration.GetSection("Provenance:Ffmpeg").Get<FfmpegOptions>() ?? new FfmpegOptions()));
        services.AddSingleton<ReadinessProbe>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<ServiceTrust>();
        services.AddLedger();
        services.AddSingleton<GenerationServices>();
        services.AddSingleton<ScanServices>();
        services.AddSingleton<ApiKeyStore>();
        services.Configure<JobOptions>(configuration.GetSection("Provenance:Jobs"));
        services.AddSingleton<JobStore>();
        services.AddSingleton<JobSubmission>();
        services.Configure<CallbackOptions>(configuration.GetSection("Provenance:Callbacks"));
        return services;
    }

    /// <summary>Workers that claim and run jobs in this process (the service by default, or <c>provenance worker</c>).</summary>
    public static IServiceCollection AddJobWorkers(this IServiceCollection services)
    {
        services.AddSingleton<JobWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<JobWorker>());
        services.AddHttpClient(nameof(CallbackDispatcher));
        services.AddHostedService<CallbackDispatcher>();
        return services;
    }

    public static WebApplication MapProvenance(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapHealthApi();
        app.MapScansApi();
        app.MapPages();
        app.MapVerifyApi();
        app.MapLedgerApi();
        app.MapGenerationsApi();
        return app;
    }
}
