namespace Provenance.Ledger.Merkle;

/// <summary>A proof or tree request does not fit the tree: bad index or sizes, wrong proof length, malformed hashes.</summary>
public sealed class MerkleProofException(string message) : Exception(message);
