using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Provenance.Signer.Certificates;

/// <summary>One revoked certificate: issuer and serial identify it; the time says from when signatures are refused.</summary>
public sealed record RevokedCertificate(
    [property: JsonPropertyName("serial")] string SerialNumber,
    [property: JsonPropertyName("issuer")] string Issuer,
    [property: JsonPropertyName("revokedAt")] DateTimeOffset RevokedAt,
    [property: JsonPropertyName("reason")] string? Reason);

/// <summary>
/// The local revocation list (<c>revoked.json</c> in the key folder) written by <c>provenance keys revoke</c>
/// and consulted by the verifier. A signature made with a revoked certificate is refused when its
/// signing time (time-stamp, else now) is at or after the revocation time.
/// </summary>
public sealed class RevocationList
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };
    private readonly List<RevokedCertificate> _entries;

    private RevocationList(List<RevokedCertificate> entries) => _entries = entries;

    public static RevocationList Empty => new([]);

    public IReadOnlyList<RevokedCertificate> Entries => _entries;

    public static RevocationList Load(string path)
    {
        if (!File.Exists(path)) return Empty;
        try
        {
            var entries = JsonSerializer.Deserialize<List<RevokedCertificate>>(File.ReadAllText(path), Json) ?? [];
            return new RevocationList(entries);
        }
        catch (JsonException e)
        {
            throw new KeyMaterialException($"revocation list {path} is not valid JSON", e);
        }
    }

    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(_entries, Json));
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Adds <paramref name="certificate"/> (no-op when it is already listed).</summary>
    public RevokedCertificate Revoke(X509Certificate2 certificate, DateTimeOffset at, string? reason)
    {
        var existing = Find(certificate);
        if (existing is not null) return existing;
        var entry = new RevokedCertificate(certificate.SerialNumber.ToUpperInvariant(), certificate.Issuer, at, reason);
        _entries.Add(entry);
        return entry;
    }

    /// <summary>The entry for <paramref name="certificate"/>, or null when it is not revoked.</summary>
    public RevokedCertificate? Find(X509Certificate2 certificate)
    {
        var serial = certificate.SerialNumber.ToUpperInvariant();
        return _entries.FirstOrDefault(e =>
            string.Equals(e.SerialNumber, serial, StringComparison.OrdinalIgnoreCase)
            && string.Equals(e.Issuer, certificate.Issuer, StringComparison.Ordinal));
    }
}
