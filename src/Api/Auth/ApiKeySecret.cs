using System.Security.Cryptography;
using System.Text;

namespace Provenance.Api.Auth;

/// <summary>
/// The key text a client holds: <c>pvk_&lt;id&gt;_&lt;secret&gt;</c>, with a 12-character public id and a
/// 256-bit random secret. Only SHA-256 of the secret is stored: the secret's entropy makes a slow hash unnecessary.
/// </summary>
public readonly record struct ApiKeySecret(string KeyId, string Secret)
{
    private const string Prefix = "pvk_";
    private const string IdAlphabet = "abcdefghijkmnpqrstuvwxyz23456789";

    public override string ToString() => $"{Prefix}{KeyId}_{Secret}";

    public static ApiKeySecret Generate()
    {
        Span<byte> idBytes = stackalloc byte[12];
        RandomNumberGenerator.Fill(idBytes);
        var id = new StringBuilder(12);
        foreach (var b in idBytes)
        {
            id.Append(IdAlphabet[b % IdAlphabet.Length]);
        }
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        return new ApiKeySecret(id.ToString(), secret);
    }

    /// <summary>Parses a presented key; false for anything that is not of the key's exact shape.</summary>
    public static bool TryParse(string? text, out ApiKeySecret key)
    {
        key = default;
        if (text is null || text.Length > 100 || !text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }
        var rest = text.AsSpan(Prefix.Length);
        var sep = rest.IndexOf('_');
        if (sep != 12 || rest.Length - sep - 1 != 43)
        {
            return false;
        }
        foreach (var c in rest[..sep])
        {
            if (!IdAlphabet.Contains(c))
            {
                return false;
            }
        }
        foreach (var c in rest[(sep + 1)..])
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return false;
            }
        }
        key = new ApiKeySecret(rest[..sep].ToString(), rest[(sep + 1)..].ToString());
        return true;
    }

    public byte[] SecretHash() => SHA256.HashData(Encoding.ASCII.GetBytes(Secret));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
