using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;

namespace Provenance.Ledger.Notes;

/// <summary>A public key that verifies note signatures, read from or written as a C2SP vkey:
/// <c>name+hex(key id)+base64(type || public key)</c>.</summary>
public sealed class NoteVerifier
{
    private NoteVerifier(string name, uint keyId, NoteSignatureType type, byte[] publicKey)
    {
        Name = name;
        KeyId = keyId;
        Type = type;
        PublicKey = publicKey;
    }

    public string Name { get; }
    public uint KeyId { get; }
    public NoteSignatureType Type { get; }
    public byte[] PublicKey { get; }

    public static NoteVerifier FromSigner(NoteSigner signer) => new(signer.Name, signer.KeyId, signer.Type, signer.PublicKey);

    /// <exception cref="SignedNoteException">malformed vkey, unknown type, or a key id that does not match the key.</exception>
    public static NoteVerifier Parse(string verifierKey)
    {
        var parts = (verifierKey ?? "").Trim().Split('+', 3); // base64 may itself hold '+'
        if (parts.Length != 3 || !SignedNote.IsValidKeyName(parts[0]) || parts[1].Length != 8
            || !uint.TryParse(parts[1], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var keyId))
            throw new SignedNoteException("verifier key is not name+hex8+base64");
        byte[] blob;
        try { blob = Convert.FromBase64String(parts[2]); }
        catch (FormatException) { throw new SignedNoteException("verifier key material is not base64"); }
        if (blob.Length < 2) throw new SignedNoteException("verifier key material is empty");
        var type = (NoteSignatureType)blob[0];
        var key = blob[1..];
        uint expected;
        switch (type)
        {
            case NoteSignatureType.Ed25519:
                if (key.Length != LibCryptoEd25519.PublicKeySize) throw new SignedNoteException("Ed25519 verifier key is not 32 bytes");
                expected = NoteSigner.StandardKeyId(parts[0], type, key);
                break;
            case NoteSignatureType.Ecdsa:
                try
                {
                    using var ecdsa = ECDsa.Create();
                    ecdsa.ImportSubjectPublicKeyInfo(key, out var read);
                    if (read != key.Length) throw new SignedNoteException("trailing bytes after the ECDSA public key");
                }
                catch (CryptographicException) { throw new SignedNoteException("ECDSA verifier key is not a valid SubjectPublicKeyInfo"); }
                expected = BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(key));
                break;
            default:
                throw new SignedNoteException($"unsupported signature type 0x{(byte)type:x2}");
        }
        if (expected != keyId) throw new SignedNoteException("verifier key id does not match its key");
        return new NoteVerifier(parts[0], keyId, type, key);
    }

    public static string FormatVerifierKey(string name, uint keyId, NoteSignatureType type, byte[] publicKey) =>
        $"{name}+{keyId:x8}+{Convert.ToBase64String([(byte)type, .. publicKey])}";

    public override string ToString() => FormatVerifierKey(Name, KeyId, Type, PublicKey);

    public bool Verify(byte[] text, byte[] signature)
    {
        switch (Type)
        {
            case NoteSignatureType.Ed25519:
                return LibCryptoEd25519.Verify(PublicKey, text, signature);
            case NoteSignatureType.Ecdsa:
                using (var ecdsa = ECDsa.Create())
                {
                    ecdsa.ImportSubjectPublicKeyInfo(PublicKey, out _);
                    try { return ecdsa.VerifyData(text, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence); }
                    catch (CryptographicException) { return false; }
                }
            default:
                return false;
        }
    }
}
