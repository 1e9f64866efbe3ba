namespace Provenance.Signer.Embedding;

/// <summary>What signing a clip produced: identifiers and hashes the ledger records.</summary>
/// <param name="ManifestLabel">The active manifest's label (<c>urn:c2pa:…</c>).</param>
/// <param name="ManifestStoreSha256">SHA-256 of the whole manifest store as embedded.</param>
/// <param name="ClaimSha256">SHA-256 of the claim CBOR (what the signature covers).</param>
/// <param name="SignatureSha256">SHA-256 of the claim signature (COSE_Sign1 bytes as embedded).</param>
/// <param name="BmffHash">The <c>c2pa.hash.bmff.v3</c> hash of the media.</param>
/// <param name="TimeStamped">Whether an RFC 3161 time-stamp is in the signature.</param>
/// <param name="OutputLength">Length of the signed file in bytes.</param>
public sealed record SignedClip(string ManifestLabel, byte[] ManifestStoreSha256, byte[] ClaimSha256, byte[] SignatureSha256,
    byte[] BmffHash, bool TimeStamped, long OutputLength);

/// <summary>The input cannot be signed (not an MP4/MOV we can rewrite safely).</summary>
public sealed class EmbeddingException(string message, Exception? inner = null) : Exception(message, inner);
