using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Provenance.Formats.Cose;

/// <summary>
/// Ed25519 signatures (RFC 8032) through OpenSSL's libcrypto, which .NET itself uses on Linux but does not
/// expose for Ed25519. Keys are raw 32-byte values; signatures are 64 bytes.
/// </summary>
public static partial class Ed25519
{
    public const int PrivateKeySize = 32;
    public const int PublicKeySize = 32;
    public const int SignatureSize = 64;

    private const string LibCrypto = "libcrypto.so.3";
    private const int EvpPkeyEd25519 = 1087;

    /// <summary>A new random private key (any 32 random bytes are a valid seed).</summary>
    public static byte[] GeneratePrivateKey() => RandomNumberGenerator.GetBytes(PrivateKeySize);

    /// <summary>The public key that belongs to a private key.</summary>
    public static unsafe byte[] PublicKeyFromPrivate(ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.Length != PrivateKeySize)
            throw new ArgumentException($"an Ed25519 private key is {PrivateKeySize} bytes", nameof(privateKey));
        nint key = NewPrivateKey(privateKey);
        try
        {
            var publicKey = new byte[PublicKeySize];
            nuint length = PublicKeySize;
            fixed (byte* output = publicKey)
            {
                if (EVP_PKEY_get_raw_public_key(key, output, ref length) != 1 || length != PublicKeySize)
                    throw Failure("EVP_PKEY_get_raw_public_key");
            }
            return publicKey;
        }
        finally
        {
            EVP_PKEY_free(key);
        }
    }

    /// <summary>Signs a message with a raw private key.</summary>
    public static unsafe byte[] Sign(ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> message)
    {
        if (privateKey.Length != PrivateKeySize)
            throw new ArgumentException($"an Ed25519 private key is {PrivateKeySize} bytes", nameof(privateKey));
        nint key = NewPrivateKey(privateKey);
        nint context = EVP_MD_CTX_new();
        try
        {
            if (context == 0 || EVP_DigestSignInit(context, 0, 0, 0, key) != 1)
                throw Failure("EVP_DigestSignInit");
            var signature = new byte[SignatureSize];
            nuint length = SignatureSize;
            fixed (byte* output = signature)
            fixed (byte* input = message)
            {
                if (EVP_DigestSign(context, output, ref length, input, (nuint)message.Length) != 1 || length != SignatureSize)
                    throw Failure("EVP_DigestSign");
            }
            return signature;
        }
        finally
        {
            EVP_MD_CTX_free(context);
            EVP_PKEY_free(key);
        }
    }

    /// <summary>Whether a signature over a message verifies under a raw public key. Wrong sizes give false.</summary>
    public static unsafe bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != PublicKeySize || signature.Length != SignatureSize)
            return false;
        nint key;
        fixed (byte* raw = publicKey)
            key = EVP_PKEY_new_raw_public_key(EvpPkeyEd25519, 0, raw, (nuint)publicKey.Length);
        if (key == 0)
        {
            ERR_clear_error();
            return false;
        }
        nint context = EVP_MD_CTX_new();
        try
        {
            if (context == 0 || EVP_DigestVerifyInit(context, 0, 0, 0, key) != 1)
                throw Failure("EVP_DigestVerifyInit");
            int result;
            fixed (byte* signatureBytes = signature)
            fixed (byte* input = message)
                result = EVP_DigestVerify(context, signatureBytes, (nuint)signature.Length, input, (nuint)message.Length);
            ERR_clear_error();
            return result == 1;
        }
        finally
        {
            EVP_MD_CTX_free(context);
            EVP_PKEY_free(key);
        }
    }

    private static unsafe nint NewPrivateKey(ReadOnlySpan<byte> privateKey)
    {
        nint key;
        fixed (byte* raw = privateKey)
            key = EVP_PKEY_new_raw_private_key(EvpPkeyEd25519, 0, raw, (nuint)privateKey.Length);
        if (key == 0)
            throw Failure("EVP_PKEY_new_raw_private_key");
        return key;
    }

    private static CryptographicException Failure(string call)
    {
        ulong code = ERR_get_error();
        ERR_clear_error();
        return new CryptographicException($"libcrypto {call} failed (error 0x{code:x})");
    }

    [LibraryImport(LibCrypto)]
    private static unsafe partial nint EVP_PKEY_new_raw_public_key(int type, nint engine, byte* key, nuint keyLength);

    [LibraryImport(LibCrypto)]
    private static unsafe partial nint EVP_PKEY_new_raw_private_key(int type, nint engine, byte* key, nuint keyLength);

    [LibraryImport(LibCrypto)]
    private static unsafe partial int EVP_PKEY_get_raw_public_key(nint key, byte* output, ref nuint length);

    [LibraryImport(LibCrypto)]
    private static partial void EVP_PKEY_free(nint key);

    [LibraryImport(LibCrypto)]
    private static partial nint EVP_MD_CTX_new();

    [LibraryImport(LibCrypto)]
    private static partial void EVP_MD_CTX_free(nint context);

    [LibraryImport(LibCrypto)]
    private static partial int EVP_DigestSignInit(nint context, nint keyContext, nint digest, nint engine, nint key);

    [LibraryImport(LibCrypto)]
    private static unsafe partial int EVP_DigestSign(nint context, byte* signature, ref nuint signatureLength, byte* message, nuint messageLength);

    [LibraryImport(LibCrypto)]
    private static partial int EVP_DigestVerifyInit(nint context, nint keyContext, nint digest, nint engine, nint key);

    [LibraryImport(LibCrypto)]
    private static unsafe partial int EVP_DigestVerify(nint context, byte* signature, nuint signatureLength, byte* message, nuint messageLength);

    [LibraryImport(LibCrypto)]
    private static partial ulong ERR_get_error();

    [LibraryImport(LibCrypto)]
    private static partial void ERR_clear_error();
}
