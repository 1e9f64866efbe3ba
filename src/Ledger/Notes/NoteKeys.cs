using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Provenance.Ledger.Notes;

/// <summary>C2SP signed-note signature types.</summary>
public enum NoteSignatureType : byte
{
    Ed25519 = 0x01,
    /// <summary>ECDSA over SHA-256 of the note text, ASN.1 DER signature (as transparency-dev/witness); key id from the SPKI DER.</summary>
    Ecdsa = 0x02,
}

/// <summary>Signs note text under a key name; <see cref="VerifierKey"/> is its C2SP vkey (<c>name+hex(id)+base64(type||key)</c>).</summary>
public abstract class NoteSigner
{
    protected NoteSigner(string name)
    {
        if (!SignedNote.IsValidKeyName(name)) throw new ArgumentException($"'{name}' is not a valid note key name", nameof(name));
        Name = name;
    }

    public string Name { get; }
    public abstract NoteSignatureType Type { get; }
    public abstract uint KeyId { get; }
    public abstract byte[] PublicKey { get; }
    public abstract byte[] Sign(byte[] text);
    public string VerifierKey => NoteVerifier.FormatVerifierKey(Name, KeyId, Type, PublicKey);

    /// <summary>The key id C2SP recommends: SHA-256(name || 0x0A || type || public key)[:4], big-endian.</summary>
    public static uint StandardKeyId(string name, NoteSignatureType type, ReadOnlySpan<byte> publicKey)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[nameBytes.Length + 2 + publicKey.Length];
        nameBytes.CopyTo(input, 0);
        input[nameBytes.Length] = 0x0A;
        input[nameBytes.Length + 1] = (byte)type;
        publicKey.CopyTo(input.AsSpan(nameBytes.Length + 2));
        return BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(input));
    }
}

/// <summary>An Ed25519 note signer (type 0x01) holding a 32-byte RFC 8032 private key.</summary>
public sealed class Ed25519NoteSigner : NoteSigner
{
    private readonly byte[] _privateKey;

    public Ed25519NoteSigner(string name, ReadOnlySpan<byte> privateKey) : base(name)
    {
        _privateKey = privateKey.ToArray();
        PublicKey = LibCryptoEd25519.PublicKeyOf(_privateKey);
        KeyId = StandardKeyId(name, NoteSignatureType.Ed25519, PublicKey);
    }

    public static Ed25519NoteSigner Generate(string name) => new(name, RandomNumberGenerator.GetBytes(LibCryptoEd25519.PrivateKeySize));

    public override NoteSignatureType Type => NoteSignatureType.Ed25519;
    public override uint KeyId { get; }
    public override byte[] PublicKey { get; }
    public byte[] PrivateKey => _privateKey.ToArray();
    public override byte[] Sign(byte[] text) => LibCryptoEd25519.Sign(_privateKey, text);
}

/// <summary>An ECDSA P-256 note signer (type 0x02): key id = SHA-256(SPKI DER)[:4], DER signature over SHA-256.</summary>
public sealed class EcdsaNoteSigner : NoteSigner
{
    private readonly ECDsa _key;

    public EcdsaNoteSigner(string name, ECDsa key) : base(name)
    {
        _key = key ?? throw new ArgumentNullException(nameof(key));
        if (key.KeySize != 256) throw new ArgumentException("the checkpoint ECDSA key must be P-256", nameof(key));
        PublicKey = key.ExportSubjectPublicKeyInfo();
        KeyId = BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(PublicKey));
    }

    public static EcdsaNoteSigner Generate(string name) => new(name, ECDsa.Create(ECCurve.NamedCurves.nistP256));

    public override NoteSignatureType Type => NoteSignatureType.Ecdsa;
    public override uint KeyId { get; }
    /// <summary>The SubjectPublicKeyInfo DER.</summary>
    public override byte[] PublicKey { get; }
    public string ExportPrivateKeyPem() => _key.ExportPkcs8PrivateKeyPem();
    public override byte[] Sign(byte[] text) => _key.SignData(text, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
}
