using System.Security.Cryptography;

namespace Provenance.Ledger.Notes;

/// <summary>
/// The log's checkpoint signing keys: Ed25519 (what the public witness network requires) and ECDSA P-256, kept as
/// owner-only files (0600) in a key folder and generated on first use. <c>checkpoint.vkeys</c> beside them lists the
/// public verifier keys for distribution.
/// </summary>
public sealed class CheckpointKeys
{
    public const string Ed25519FileName = "checkpoint-ed25519.key";
    public const string EcdsaFileName = "checkpoint-ecdsa-p256.pem";
    public const string VerifierKeysFileName = "checkpoint.vkeys";

    private CheckpointKeys(Ed25519NoteSigner ed25519, EcdsaNoteSigner ecdsa)
    {
        Ed25519 = ed25519;
        Ecdsa = ecdsa;
    }

    public Ed25519NoteSigner Ed25519 { get; }
    public EcdsaNoteSigner Ecdsa { get; }
    public IReadOnlyList<NoteSigner> Signers => [Ed25519, Ecdsa];
    public IReadOnlyList<NoteVerifier> Verifiers => [NoteVerifier.FromSigner(Ed25519), NoteVerifier.FromSigner(Ecdsa)];

    /// <summary>Loads the keys from <paramref name="directory"/>, creating any that are missing; the key name is the log origin.</summary>
    public static CheckpointKeys LoadOrCreate(string directory, string origin)
    {
        Directory.CreateDirectory(directory);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var edPath = Path.Combine(directory, Ed25519FileName);
        var ecPath = Path.Combine(directory, EcdsaFileName);
        if (!File.Exists(edPath))
            WriteSecret(edPath, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) + "\n");
        if (!File.Exists(ecPath))
        {
            using var fresh = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            WriteSecret(ecPath, fresh.ExportPkcs8PrivateKeyPem() + "\n");
        }
        byte[] seed;
        try { seed = Convert.FromBase64String(File.ReadAllText(edPath).Trim()); }
        catch (FormatException) { throw new CryptographicException($"{edPath} does not hold a base64 Ed25519 key"); }
        if (seed.Length != 32) throw new CryptographicException($"{edPath} does not hold a 32-byte Ed25519 key");
        var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(File.ReadAllText(ecPath));
        var keys = new CheckpointKeys(new Ed25519NoteSigner(origin, seed), new EcdsaNoteSigner(origin, ecdsa));
        File.WriteAllText(Path.Combine(directory, VerifierKeysFileName), string.Join("\n", keys.Signers.Select(s => s.VerifierKey)) + "\n");
        return keys;
    }

    /// <summary>Reads verifier keys, one per line (blank lines and # comments ignored).</summary>
    public static IReadOnlyList<NoteVerifier> ReadVerifierKeys(string path) =>
        File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).Select(NoteVerifier.Parse).ToList();

    private static void WriteSecret(string path, string content)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(content);
    }
}
