using Provenance.Generator.Operations;
using Provenance.Generator.Pipeline;
using Provenance.Generator.Safety;
using Provenance.Media;
using Provenance.Signer.Certificates;
using Provenance.Watermark;

namespace Provenance.Api.Generation;

/// <summary>
/// What generating and stamping need, built from configuration once per process: the safety gate (it reloads its
/// policy file itself), the stamping pipeline (signing keys, watermark key, ledger), clip operations. Shared by the
/// service's jobs and the command line.
/// </summary>
public sealed class GenerationServices(FfmpegRunner runner, ILedgerAppender ledger, IConfiguration configuration)
{
    private readonly Lazy<SafetyGate> _safety = new(() => CreateSafetyGate(configuration));

    public IConfiguration Configuration => configuration;

    public string DataDirectory => configuration["Provenance:DataDirectory"] ?? ".data";

    public SafetyGate Safety => _safety.Value;

    public ClipOperations Operations => new(runner);

    /// <summary>The pipeline, with the signing key loaded now. Throws <see cref="GenerationSetupException"/> when keys are missing.</summary>
    public async Task<StampingPipeline> CreatePipelineAsync(Action<string>? log, CancellationToken ct)
    {
        var hardware = await HardwareCapabilities.DetectAsync(runner, ct);
        var keys = new KeyFolder(configuration["Provenance:Keys:Directory"] ?? Path.Combine(DataDirectory, "keys"),
            configuration["Provenance:Keys:Passphrase"] ?? Environment.GetEnvironmentVariable(KeyFolder.PassphraseEnvironmentVariable));
        if (!keys.HasSigner)
        {
            throw new GenerationSetupException($"no signing credentials in {keys.Directory}: create them with 'provenance keys init-ca' and 'provenance keys issue'");
        }
        return new StampingPipeline(runner, hardware, WatermarkKey.LoadOrCreate(configuration[WatermarkKey.ConfigurationKey], DataDirectory),
            keys.LoadSigner(), timeStamper: null, ledger, Safety, new StampingOptions { Log = log });
    }

    private static SafetyGate CreateSafetyGate(IConfiguration configuration)
    {
        var options = configuration.GetSection(SafetyOptions.Section).Get<SafetyOptions>() ?? new SafetyOptions();
        if (string.IsNullOrWhiteSpace(options.AuditLogPath))
        {
            options.AuditLogPath = Path.Combine(configuration["Provenance:DataDirectory"] ?? ".data", "safety-audit.jsonl");
        }
        return SafetyGate.Create(options);
    }
}

/// <summary>The service cannot generate at all (no signing keys): an operator's problem, not the request's.</summary>
public sealed class GenerationSetupException(string message) : Exception(message);
