using Provenance.Signer.Certificates;

namespace Provenance.Api.Verify;

/// <summary>
/// The trust list the service verifies Content Credentials against: <c>Provenance:Verify:TrustAnchors</c>
/// (PEM files, ';'-separated), else the root of the service's own key folder, with its revocation list.
/// </summary>
public sealed class ServiceTrust(IConfiguration configuration)
{
    public KeyFolder Keys { get; } = new(
        configuration["Provenance:Keys:Directory"] ?? Path.Combine(configuration["Provenance:DataDirectory"] ?? ".data", "keys"),
        configuration["Provenance:Keys:Passphrase"] ?? Environment.GetEnvironmentVariable(KeyFolder.PassphraseEnvironmentVariable));

    public IReadOnlyList<string> AnchorFiles =>
        configuration["Provenance:Verify:TrustAnchors"]?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        ?? (File.Exists(Keys.RootCertificatePath) ? [Keys.RootCertificatePath] : []);

    /// <summary>Read afresh on each call, so a revocation or a new anchor applies without a restart.</summary>
    public TrustList Load() => TrustList.FromPemFiles(AnchorFiles, Keys.LoadRevocations());
}
