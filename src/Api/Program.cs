using Provenance.Api.Hosting;

var app = ProvenanceHost.Build(args);
await app.RunAsync();

/// <summary>Entry point, public so functional tests can host it with WebApplicationFactory.</summary>
public partial class Program;
