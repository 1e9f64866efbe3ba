using Provenance.Api.Health;

namespace Provenance.Api.Hosting;

/// <summary>Builds the HTTP service: the same host for <c>provenance serve</c>, <c>./run.sh</c> and tests.</summary>
public static class ProvenanceHost
{
    public const string DefaultUrls = "http://127.0.0.1:8080";

    public static WebApplication Build(string[] args, string? urls = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = Directory.GetCurrentDirectory() });
        if (urls is not null)
        {
            builder.WebHost.UseUrls(urls);
        }
        else if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls(DefaultUrls);
        }
        builder.AddProvenanceServices();
        var app = builder.Build();
        app.MapProvenance();
        return app;
    }
}
