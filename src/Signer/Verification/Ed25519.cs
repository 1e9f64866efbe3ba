using System.Runtime.InteropServices;

namespace Provenance.Signer.Verification;

/// <summary>Ed25519 signature verification through OpenSSL's libcrypto (.NET has no Ed25519).</summary>
internal static partial class Ed25519
{
    private const string LibCrypto = "libcrypto.so.3";

    /// <summary>Verifies <paramref name="signature"/> over <paramref name="data"/> with the key in <paramref name="subjectPublicKeyInfo"/>; false when OpenSSL is missing.</summary>
    public static unsafe bool Verify(byte[] subjectPublicKeyInfo, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        try
        {
            fixed (byte* spki = subjectPublicKeyInfo)
            fixed (byte* d = data)
            fixed (byte* s = signature)
            {
                byte* p = spki;
                nint key = d2i_PUBKEY(0, &p, subjectPublicKeyInfo.Length);
                if (key == 0) return false;
                nint ctx = EVP_MD_CTX_new();
                try
                {
                    if (ctx == 0 || EVP_DigestVerifyInit(ctx, 0, 0, 0, key) != 1) return false;
                    return EVP_DigestVerify(ctx, s, (nuint)signature.Length, d, (nuint)data.Length) == 1;
                }
                finally
                {
                    if (ctx != 0) EVP_MD_CTX_free(ctx);
                    EVP_PKEY_free(key);
                }
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport(LibCrypto)] private static unsafe partial nint d2i_PUBKEY(nint a, byte** pp, long length);
    [LibraryImport(LibCrypto)] private static partial nint EVP_MD_CTX_new();
    [LibraryImport(LibCrypto)] private static partial void EVP_MD_CTX_free(nint ctx);
    [LibraryImport(LibCrypto)] private static partial void EVP_PKEY_free(nint key);
    [LibraryImport(LibCrypto)] private static partial int EVP_DigestVerifyInit(nint ctx, nint pctx, nint type, nint engine, nint key);
    [LibraryImport(LibCrypto)] private static unsafe partial int EVP_DigestVerify(nint ctx, byte* sig, nuint siglen, byte* tbs, nuint tbslen);
}
