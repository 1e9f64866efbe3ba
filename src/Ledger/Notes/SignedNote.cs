using System.Buffers.Binary;
using System.Text;

namespace Provenance.Ledger.Notes;

/// <summary>A signed note or checkpoint is malformed or does not verify.</summary>
public sealed class SignedNoteException(string message) : Exception(message);

/// <summary>One signature line of a note: key name, key id and the signature bytes.</summary>
public sealed record NoteSignature(string KeyName, uint KeyId, byte[] Signature);

/// <summary>
/// C2SP signed-note: the text (ending in a newline), a blank line, then lines <c>— name base64(keyid || signature)</c>.
/// Parsing is strict and bounded: UTF-8, no control characters other than newline, at most 64 KiB and 32 signatures.
/// </summary>
public sealed class SignedNote
{
    public const int MaxBytes = 64 * 1024;
    public const int MaxSignatures = 32;
    private const string Dash = "\u2014 ";

    public SignedNote(string text, IReadOnlyList<NoteSignature> signatures)
    {
        Text = text;
        Signatures = signatures;
    }

    /// <summary>The signed text, including its final newline.</summary>
    public string Text { get; }
    public IReadOnlyList<NoteSignature> Signatures { get; }

    public static bool IsValidKeyName(string name) =>
        !string.IsNullOrEmpty(name) && !name.Any(c => char.IsWhiteSpace(c) || c == '+' || char.IsControl(c));

    /// <summary>Signs <paramref name="text"/> (which must end in a newline) with every signer.</summary>
    public static SignedNote Sign(string text, IEnumerable<NoteSigner> signers)
    {
        ValidateText(text);
        var bytes = Encoding.UTF8.GetBytes(text);
        var signatures = signers.Select(s => new NoteSignature(s.Name, s.KeyId, s.Sign(bytes))).ToList();
        if (signatures.Count == 0) throw new ArgumentException("a note needs at least one signer", nameof(signers));
        return new SignedNote(text, signatures);
    }

    public override string ToString()
    {
        var note = new StringBuilder(Text).Append('\n');
        foreach (var s in Signatures)
        {
            var blob = new byte[4 + s.Signature.Length];
            BinaryPrimitives.WriteUInt32BigEndian(blob, s.KeyId);
            s.Signature.CopyTo(blob, 4);
            note.Append(Dash).Append(s.KeyName).Append(' ').Append(Convert.ToBase64String(blob)).Append('\n');
        }
        return note.ToString();
    }

    /// <exception cref="SignedNoteException">malformed note.</exception>
    public static SignedNote Parse(string note)
    {
        ArgumentNullException.ThrowIfNull(note);
        if (Encoding.UTF8.GetByteCount(note) > MaxBytes) throw new SignedNoteException($"note longer than {MaxBytes} bytes");
        if (note.Any(c => c < 0x20 && c != '\n') || note.Any(char.IsSurrogate) && !IsWellFormed(note))
            throw new SignedNoteException("note holds control characters or malformed text");
        var split = note.LastIndexOf("\n\n", StringComparison.Ordinal);
        if (split < 0) throw new SignedNoteException("note has no blank line before its signatures");
        var text = note[..(split + 1)];
        var block = note[(split + 2)..];
        if (block.Length == 0 || block[^1] != '\n') throw new SignedNoteException("note does not end with a signature line and newline");
        var signatures = new List<NoteSignature>();
        foreach (var line in block[..^1].Split('\n'))
        {
            if (signatures.Count == MaxSignatures) throw new SignedNoteException($"more than {MaxSignatures} signatures");
            if (!line.StartsWith(Dash, StringComparison.Ordinal)) throw new SignedNoteException("signature line does not start with an em dash and space");
            var rest = line[Dash.Length..];
            var space = rest.IndexOf(' ', StringComparison.Ordinal);
            if (space <= 0) throw new SignedNoteException("signature line lacks a key name");
            var name = rest[..space];
            if (!IsValidKeyName(name)) throw new SignedNoteException("invalid key name in signature line");
            byte[] blob;
            try { blob = Convert.FromBase64String(rest[(space + 1)..]); }
            catch (FormatException) { throw new SignedNoteException("signature is not base64"); }
            if (blob.Length < 5) throw new SignedNoteException("signature shorter than a key id and one byte");
            signatures.Add(new NoteSignature(name, BinaryPrimitives.ReadUInt32BigEndian(blob), blob[4..]));
        }
        return new SignedNote(text, signatures);
    }

    /// <summary>Verifies as C2SP requires: a signature from a known key (name and id) that fails rejects the note; unknown
    /// keys are ignored; at least one known key must have signed. Returns the verified text.</summary>
    /// <exception cref="SignedNoteException">no known signer, or a known signer's signature is bad.</exception>
    public string Verify(IEnumerable<NoteVerifier> verifiers)
    {
        var known = verifiers.ToList();
        var bytes = Encoding.UTF8.GetBytes(Text);
        var verified = 0;
        foreach (var signature in Signatures)
        {
            foreach (var verifier in known.Where(v => v.Name == signature.KeyName && v.KeyId == signature.KeyId))
            {
                if (!verifier.Verify(bytes, signature.Signature))
                    throw new SignedNoteException($"signature by {signature.KeyName} ({signature.KeyId:x8}) does not verify");
                verified++;
            }
        }
        if (verified == 0) throw new SignedNoteException("note is not signed by any trusted key");
        return Text;
    }

    private static void ValidateText(string text)
    {
        if (text.Length == 0 || text[^1] != '\n') throw new ArgumentException("note text must end with a newline", nameof(text));
        if (text.Any(c => c < 0x20 && c != '\n')) throw new ArgumentException("note text must not hold control characters", nameof(text));
    }

    private static bool IsWellFormed(string s)
    {
        try { _ = new UTF8Encoding(false, true).GetBytes(s); return true; }
        catch (ArgumentException) { return false; }
    }
}
