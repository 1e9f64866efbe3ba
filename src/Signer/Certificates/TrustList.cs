using System.Security.Cryptography.X509Certificates;

namespace Provenance.Signer.Certificates;

/// <summary>
/// The trust anchors a verifier accepts (PEM bundles, as c2pa-rs's <c>trust.trust_anchors</c>), plus the
/// revocation list. A signer chaining to one of the anchors is <c>signingCredential.trusted</c>.
/// </summary>
public sealed class TrustList
{
    public TrustList(IEnumerable<X509Certificate2> anchors, RevocationList? revocations = null)
    {
        Anchors = anchors.ToList();
        Revocations = revocations ?? RevocationList.Empty;
    }

    public static TrustList None { get; } = new([]);

    public IReadOnlyList<X509Certificate2> Anchors { get; }
    public RevocationList Revocations { get; }

    /// <summary>Loads every certificate of every PEM file given.</summary>
    public static TrustList FromPemFiles(IEnumerable<string> paths, RevocationList? revocations = null) =>
        new(paths.SelectMany(PemFiles.ReadCertificates), revocations);

    public TrustList WithRevocations(RevocationList revocations) => new(Anchors, revocations);
}
