using System.Runtime.InteropServices;

namespace Provenance.Ledger.Notes;

/// <summary>Ed25519 (RFC 8032) through OpenSSL 3's libcrypto, which .NET itself loads on Linux: .NET has no Ed25519.</summary>
internal static partial class LibCryptoEd25519
{
    private const string Library = "libcrypto.so.3";
    private const int EvpPkeyEd25519 = 1087; // NID_ED25519
    public const int PublicKeySize = 32;
    public const int PrivateKeySize = 32;
    public const int SignatureSize = 64;

    public static byte[] PublicKeyOf(ReadOnlySpan<byte> privateKey)
    {
        var key = NewPrivateKey(privateKey);
        try
        {
            var publicKey = new byte[PublicKeySize];
            nuint length = PublicKeySize;
            Check(EVP_PKEY_get_raw_public_key(key, publicKey, ref length) == 1 && length == PublicKeySize, "EVP_PKEY_get_raw_public_key");
            return publicKey;
        }
        finally { EVP_PKEY_free(key); }
    }

    public static byte[] Sign(ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> message)
    {
        var key = NewPrivateKey(privateKey);
        var context = EVP_MD_CTX_new();
        try
        {
            Check(context != IntPtr.Zero, "EVP_MD_CTX_new");
            Check(EVP_DigestSignInit(context, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero, key) == 1, "EVP_DigestSignInit");
            var signature = new byte[SignatureSize];
            nuint length = SignatureSize;
            Check(EVP_DigestSign(context, signature, ref length, message, (nuint)message.Length) == 1 && length == SignatureSize, "EVP_DigestSign");
            return signature;
        }
        finally
        {
            EVP_MD_CTX_free(context);
            EVP_PKEY_free(key);
        }
    }

    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != PublicKeySize || signature.Length != SignatureSize) return false;
        var key = EVP_PKEY_new_raw_public_key(EvpPkeyEd25519, IntPtr.Zero, publicKey, (nuint)publicKey.Length);
        if (key == IntPtr.Zero) { ERR_clear_error(); return false; }
        var context = EVP_MD_CTX_new();
        try
        {
            Check(context != IntPtr.Zero, "EVP_MD_CTX_new");
            if (EVP_DigestVerifyInit(context, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero, key) != 1) { ERR_clear_error(); return false; }
            var ok = EVP_DigestVerify(context, signature, (nuint)signature.Length, message, (nuint)message.Length) == 1;
            ERR_clear_error();
            return ok;
        }
        finally
        {
            EVP_MD_CTX_free(context);
            EVP_PKEY_free(key);
        }
    }

    private static IntPtr NewPrivateKey(ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.Length != PrivateKeySize) throw new ArgumentException("an Ed25519 private key is 32 bytes", nameof(privateKey));
        var key = EVP_PKEY_new_raw_private_key(EvpPkeyEd25519, IntPtr.Zero, privateKey, (nuint)privateKey.Length);
        Check(key != IntPtr.Zero, "EVP_PKEY_new_raw_private_key");
        return key;
    }

    private static void Check(bool ok, string call)
    {
        if (ok) return;
        var code = ERR_get_error();
        ERR_clear_error();
        throw new System.Security.Cryptography.CryptographicException($"OpenSSL {call} failed (error 0x{code:x})");
    }

    [LibraryImport(Library)] private static partial IntPtr EVP_PKEY_new_raw_private_key(int type, IntPtr engine, ReadOnlySpan<byte> key, nuint length);
    [LibraryImport(Library)] private static partial IntPtr EVP_PKEY_new_raw_public_key(int type, IntPtr engine, ReadOnlySpan<byte> key, nuint length);
    [LibraryImport(Library)] private static partial int EVP_PKEY_get_raw_public_key(IntPtr key, Span<byte> publicKey, ref nuint length);
    [LibraryImport(Library)] private static partial void EVP_PKEY_free(IntPtr key);
    [LibraryImport(Library)] private static partial IntPtr EVP_MD_CTX_new();
    [LibraryImport(Library)] private static partial void EVP_MD_CTX_free(IntPtr context);
    [LibraryImport(Library)] private static partial int EVP_DigestSignInit(IntPtr context, IntPtr keyContext, IntPtr digest, IntPtr engine, IntPtr key);
    [LibraryImport(Library)] private static partial int EVP_DigestSign(IntPtr context, Span<byte> signature, ref nuint signatureLength, ReadOnlySpan<byte> message, nuint messageLength);
    [LibraryImport(Library)] private static partial int EVP_DigestVerifyInit(IntPtr context, IntPtr keyContext, IntPtr digest, IntPtr engine, IntPtr key);
    [LibraryImport(Library)] private static partial int EVP_DigestVerify(IntPtr context, ReadOnlySpan<byte> signature, nuint signatureLength, ReadOnlySpan<byte> message, nuint messageLength);
    [LibraryImport(Library)] private static partial ulong ERR_get_error();
    [LibraryImport(Library)] private static partial void ERR_clear_error();
}
