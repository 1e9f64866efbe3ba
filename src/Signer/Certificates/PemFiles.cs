using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Provenance.Signer.Certificates;

/// <summary>
/// PEM certificates and passphrase-encrypted PKCS#8 private keys on disk. Key files are created with
/// owner-only permissions (0600) and are never written unencrypted.
/// </summary>
public static class PemFiles
{
    // PBKDF2-SHA256 with AES-256-CBC, as OpenSSL's `pkcs8 -v2 aes-256-cbc` writes it.
    private static readonly PbeParameters KeyEncryption = new(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 210_000);

    /// <summary>Writes <paramref name="certificates"/> as concatenated PEM blocks, in order.</summary>
    public static void WriteCertificates(string path, IEnumerable<X509Certificate2> certificates)
    {
        var text = new StringBuilder();
        foreach (var cert in certificates) text.Append(cert.ExportCertificatePem()).Append('\n');
        WriteAtomically(path, Encoding.ASCII.GetBytes(text.ToString()), ownerOnly: false);
    }

    /// <summary>Reads every certificate in a PEM bundle, in file order.</summary>
    public static IReadOnlyList<X509Certificate2> ReadCertificates(string path)
    {
        if (!File.Exists(path)) throw new KeyMaterialException($"certificate file not found: {path}");
        var collection = new X509Certificate2Collection();
        try
        {
            collection.ImportFromPemFile(path);
        }
        catch (CryptographicException e)
        {
            throw new KeyMaterialException($"certificate file is not valid PEM: {path}", e);
        }
        if (collection.Count == 0) throw new KeyMaterialException($"no certificate in {path}");
        return [.. collection];
    }

    /// <summary>Writes the private key of <paramref name="key"/> encrypted with <paramref name="passphrase"/>, mode 0600.</summary>
    public static void WriteEncryptedKey(string path, AsymmetricAlgorithm key, string passphrase)
    {
        RequirePassphrase(passphrase);
        var pem = key.ExportEncryptedPkcs8PrivateKeyPem(passphrase, KeyEncryption);
        WriteAtomically(path, Encoding.ASCII.GetBytes(pem + "\n"), ownerOnly: true);
    }

    /// <summary>Reads a PKCS#8 private key (encrypted with <paramref name="passphrase"/>, or plain when it is not encrypted).</summary>
    public static AsymmetricAlgorithm ReadKey(string path, string? passphrase)
    {
        if (!File.Exists(path)) throw new KeyMaterialException($"key file not found: {path}");
        var pem = File.ReadAllText(path);
        if (!PemEncoding.TryFind(pem, out var fields)) throw new KeyMaterialException($"no PEM block in {path}");
        var label = pem[fields.Label];
        var der = Convert.FromBase64String(pem[fields.Base64Data]);
        try
        {
            Pkcs8PrivateKeyInfo info;
            if (label == "ENCRYPTED PRIVATE KEY")
            {
                if (string.IsNullOrEmpty(passphrase))
                    throw new KeyMaterialException($"the key {path} is encrypted: set Provenance:Keys:Passphrase or PROVENANCE_KEYS_PASSPHRASE");
                info = Pkcs8PrivateKeyInfo.DecryptAndDecode(passphrase.AsSpan(), der, out _);
            }
            else if (label == "PRIVATE KEY") info = Pkcs8PrivateKeyInfo.Decode(der, out _);
            else throw new KeyMaterialException($"{path}: expected a PKCS#8 private key, found '{label}'");
            var plain = info.Encode();
            try
            {
                AsymmetricAlgorithm key = info.AlgorithmId.Value switch
                {
                    "1.2.840.10045.2.1" => ECDsa.Create(),
                    "1.2.840.113549.1.1.1" or "1.2.840.113549.1.1.10" => RSA.Create(),
                    var other => throw new KeyMaterialException($"{path}: unsupported key algorithm {other}"),
                };
                key.ImportPkcs8PrivateKey(plain, out _);
                return key;
            }
            finally
            {
                CryptographicOperations.ZeroMemory(plain);
            }
        }
        catch (CryptographicException e)
        {
            throw new KeyMaterialException($"cannot read the private key in {path} (wrong passphrase?)", e);
        }
    }

    /// <summary>The certificate with its private key attached.</summary>
    public static X509Certificate2 Attach(X509Certificate2 certificate, AsymmetricAlgorithm key) => key switch
    {
        ECDsa ec => certificate.CopyWithPrivateKey(ec),
        RSA rsa => certificate.CopyWithPrivateKey(rsa),
        _ => throw new KeyMaterialException("unsupported key type"),
    };

    /// <summary>The private key of a certificate that carries one.</summary>
    public static AsymmetricAlgorithm PrivateKeyOf(X509Certificate2 certificate) =>
        (AsymmetricAlgorithm?)certificate.GetECDsaPrivateKey() ?? certificate.GetRSAPrivateKey()
        ?? throw new KeyMaterialException($"no private key for {certificate.Subject}");

    private static void RequirePassphrase(string passphrase)
    {
        if (string.IsNullOrEmpty(passphrase))
            throw new KeyMaterialException("a passphrase is required to store private keys: set Provenance:Keys:Passphrase or PROVENANCE_KEYS_PASSPHRASE");
    }

    private static void WriteAtomically(string path, byte[] bytes, bool ownerOnly)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = ownerOnly ? UnixFileMode.UserRead | UnixFileMode.UserWrite
                : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        try
        {
            using (var stream = new FileStream(temp, options)) stream.Write(bytes);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
