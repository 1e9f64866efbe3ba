using System.Security.Cryptography.X509Certificates;

namespace Provenance.Signer.Signing;

/// <summary>
/// Produces claim signatures. Implementations hold (or reach: HSM, KMS) the private key of the
/// end-entity certificate in <see cref="Chain"/>.
/// </summary>
public interface ISigner
{
    SigningAlgorithm Algorithm { get; }

    /// <summary>The COSE algorithm identifier written in the protected header.</summary>
    int CoseAlgorithm => Algorithm.CoseId();

    /// <summary>End-entity certificate first, then intermediates; never the root.</summary>
    IReadOnlyList<X509Certificate2> Chain { get; }

    /// <summary>Signs <paramref name="toBeSigned"/>: ECDSA as raw r||s (IEEE P1363), RSA as RSASSA-PSS (salt = hash length).</summary>
    byte[] Sign(ReadOnlySpan<byte> toBeSigned);

    /// <summary>The exact signature length in bytes (used to size the manifest before signing).</summary>
    int ReservedSignatureSize { get; }
}
