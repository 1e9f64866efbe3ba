using System.Security.Cryptography;
using System.Text;

namespace Provenance.Watermark;

/// <summary>
/// The secret that seeds every watermark pattern. Without it nobody can read or forge a mark. Never logged:
/// <see cref="ToString"/> is redacted. Purpose-specific subkeys are derived with HMAC-SHA256.
/// </summary>
public sealed class WatermarkKey
{
    /// <summary>Configuration key holding the secret (hex or base64, at least 16 bytes).</summary>
    public const string ConfigurationKey = "Provenance:Watermark:Key";

    /// <summary>File name under the data folder where a generated key is kept.</summary>
    public const string DefaultFileName = "watermark.key";

    public const int MinimumBytes = 16;

    private readonly byte[] _secret;

    private WatermarkKey(byte[] secret)
    {
        if (secret.Length < MinimumBytes)
            throw new ArgumentException($"A watermark key needs at least {MinimumBytes} bytes.", nameof(secret));
        _secret = secret;
    }

    public static WatermarkKey FromBytes(ReadOnlySpan<byte> secret) => new(secret.ToArray());

    /// <summary>A fresh random key (32 bytes).</summary>
    public static WatermarkKey Generate() => new(RandomNumberGenerator.GetBytes(32));

    /// <summary>Parses a key written as hex (even number of hex digits) or base64.</summary>
    public static WatermarkKey Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var s = text.Trim();
        if (s.Length >= 2 * MinimumBytes && s.Length % 2 == 0 && s.All(Uri.IsHexDigit))
            return new(Convert.FromHexString(s));
        var buffer = new byte[s.Length];
        if (Convert.TryFromBase64String(s, buffer, out var n) && n >= MinimumBytes)
            return new(buffer[..n]);
        throw new FormatException($"The watermark key must be hex or base64 of at least {MinimumBytes} bytes.");
    }

    /// <summary>
    /// The configured key when there is one; otherwise the key stored in <paramref name="dataFolder"/>, generated
    /// and written there (owner-only permissions where supported) on first use.
    /// </summary>
    public static WatermarkKey LoadOrCreate(string? configuredValue, string dataFolder)
    {
        if (!string.IsNullOrWhiteSpace(configuredValue)) return Parse(configuredValue);
        Directory.CreateDirectory(dataFolder);
        var path = Path.Combine(dataFolder, DefaultFileName);
        if (File.Exists(path)) return Parse(File.ReadAllText(path));
        var key = Generate();
        var tmp = path + ".tmp";
        using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(tmp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            fs.Write(Encoding.ASCII.GetBytes(Convert.ToHexString(key._secret).ToLowerInvariant()));
        }
        File.Move(tmp, path, overwrite: false);
        return key;
    }

    /// <summary>HMAC-SHA256(secret, purpose): a subkey for one use, so patterns and check bits never share material.</summary>
    public byte[] DeriveSubkey(string purpose) => HMACSHA256.HashData(_secret, Encoding.UTF8.GetBytes(purpose));

    /// <summary>Short public identifier of the key (first 8 hex digits of a one-way hash), safe to show.</summary>
    public string Fingerprint => Convert.ToHexString(DeriveSubkey("provenance/watermark/fingerprint"))[..8].ToLowerInvariant();

    public override string ToString() => $"WatermarkKey({Fingerprint}, secret redacted)";
}
