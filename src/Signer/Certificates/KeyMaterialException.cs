namespace Provenance.Signer.Certificates;

/// <summary>Keys or certificates are missing, unreadable, or the passphrase is wrong.</summary>
public sealed class KeyMaterialException : Exception
{
    public KeyMaterialException(string message) : base(message) { }
    public KeyMaterialException(string message, Exception inner) : base(message, inner) { }
}
