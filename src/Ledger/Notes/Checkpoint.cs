using System.Globalization;

namespace Provenance.Ledger.Notes;

/// <summary>A C2SP tlog-checkpoint body: origin, tree size, root hash (and no extension lines).</summary>
public sealed record Checkpoint(string Origin, long Size, byte[] RootHash)
{
    public string ToNoteText() => string.Create(CultureInfo.InvariantCulture, $"{Origin}\n{Size}\n{Convert.ToBase64String(RootHash)}\n");

    /// <exception cref="SignedNoteException">not a checkpoint body.</exception>
    public static Checkpoint ParseText(string text)
    {
        var lines = text.Split('\n');
        if (lines.Length < 4 || lines[^1].Length != 0) throw new SignedNoteException("checkpoint needs origin, size and root lines");
        var origin = lines[0];
        if (origin.Length == 0) throw new SignedNoteException("checkpoint origin is empty");
        if (lines[1].Length == 0 || lines[1].Length > 19 || !lines[1].All(char.IsAsciiDigit) || (lines[1].Length > 1 && lines[1][0] == '0')
            || !long.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            throw new SignedNoteException("checkpoint size is not a canonical decimal");
        byte[] root;
        try { root = Convert.FromBase64String(lines[2]); }
        catch (FormatException) { throw new SignedNoteException("checkpoint root is not base64"); }
        if (root.Length != 32) throw new SignedNoteException("checkpoint root is not 32 bytes");
        return new Checkpoint(origin, size, root);
    }

    /// <summary>Parses and verifies a signed checkpoint note for the expected origin.</summary>
    /// <exception cref="SignedNoteException">malformed, wrong origin, or not validly signed by a trusted key.</exception>
    public static Checkpoint Verify(string signedNote, string expectedOrigin, IEnumerable<NoteVerifier> verifiers)
    {
        var checkpoint = ParseText(SignedNote.Parse(signedNote).Verify(verifiers));
        if (checkpoint.Origin != expectedOrigin) throw new SignedNoteException($"checkpoint origin '{checkpoint.Origin}' is not '{expectedOrigin}'");
        return checkpoint;
    }
}
