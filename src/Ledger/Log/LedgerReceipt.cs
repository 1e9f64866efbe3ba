using System.Globalization;
using System.Text;
using Provenance.Ledger.Merkle;
using Provenance.Ledger.Notes;

namespace Provenance.Ledger.Log;

/// <summary>The receipt could not be parsed or does not verify.</summary>
public sealed class ReceiptVerificationException(string message) : Exception(message);

/// <summary>
/// Proof that an entry is in the log, verifiable offline with the log's public key: index, inclusion proof and signed
/// checkpoint, in the C2SP tlog-proof text form; the entry's leaf bytes ride in the <c>extra</c> line.
/// </summary>
public sealed record LedgerReceipt(long Index, byte[] EntryData, IReadOnlyList<byte[]> InclusionProof, string SignedCheckpoint)
{
    public const string Header = "c2sp.org/tlog-proof@v1";
    public const int MaxBytes = 64 * 1024;

    public string ToTlogProof()
    {
        var text = new StringBuilder(Header).Append('\n');
        text.Append("extra ").Append(Convert.ToBase64String(EntryData)).Append('\n');
        text.Append(string.Create(CultureInfo.InvariantCulture, $"index {Index}\n"));
        foreach (var hash in InclusionProof) text.Append(Convert.ToBase64String(hash)).Append('\n');
        return text.Append('\n').Append(SignedCheckpoint).ToString();
    }

    /// <exception cref="ReceiptVerificationException">not a tlog-proof in this log's form.</exception>
    public static LedgerReceipt Parse(string tlogProof)
    {
        ArgumentNullException.ThrowIfNull(tlogProof);
        if (tlogProof.Length > MaxBytes) throw new ReceiptVerificationException("receipt is too long");
        var blank = tlogProof.IndexOf("\n\n", StringComparison.Ordinal);
        if (blank < 0) throw new ReceiptVerificationException("receipt has no blank line before its checkpoint");
        var lines = tlogProof[..blank].Split('\n');
        if (lines.Length < 3 || lines[0] != Header) throw new ReceiptVerificationException($"receipt does not start with {Header}");
        if (!lines[1].StartsWith("extra ", StringComparison.Ordinal)) throw new ReceiptVerificationException("receipt lacks the entry (extra line)");
        if (!lines[2].StartsWith("index ", StringComparison.Ordinal)) throw new ReceiptVerificationException("receipt lacks its index line");
        var indexText = lines[2]["index ".Length..];
        if (indexText.Length is 0 or > 19 || !indexText.All(char.IsAsciiDigit) || (indexText.Length > 1 && indexText[0] == '0')
            || !long.TryParse(indexText, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            throw new ReceiptVerificationException("receipt index is not a canonical decimal");
        try
        {
            var data = Convert.FromBase64String(lines[1]["extra ".Length..]);
            var proof = lines[3..].Select(Convert.FromBase64String).ToList();
            if (proof.Count > 63 || proof.Any(p => p.Length != MerkleHash.Size)) throw new ReceiptVerificationException("receipt proof hashes are malformed");
            return new LedgerReceipt(index, data, proof, tlogProof[(blank + 2)..]);
        }
        catch (FormatException)
        {
            throw new ReceiptVerificationException("receipt holds malformed base64");
        }
    }

    /// <summary>Checks the checkpoint signature (origin and trusted keys), and that the entry is at <see cref="Index"/>
    /// in the checkpointed tree. Returns the entry and the checkpoint.</summary>
    /// <exception cref="ReceiptVerificationException">anything does not verify.</exception>
    public (LoggedEntry Entry, Checkpoint Checkpoint) Verify(string origin, IEnumerable<NoteVerifier> trustedKeys)
    {
        Checkpoint checkpoint;
        try { checkpoint = Checkpoint.Verify(SignedCheckpoint, origin, trustedKeys); }
        catch (SignedNoteException e) { throw new ReceiptVerificationException($"checkpoint: {e.Message}"); }
        (LedgerEntry entry, DateTimeOffset time) decoded;
        try { decoded = LedgerEntryCodec.Decode(EntryData); }
        catch (LedgerEntryFormatException e) { throw new ReceiptVerificationException($"entry: {e.Message}"); }
        if (!MerkleProof.VerifyInclusion(Index, checkpoint.Size, MerkleHash.Leaf(EntryData), InclusionProof, checkpoint.RootHash))
            throw new ReceiptVerificationException($"inclusion proof of entry {Index} does not lead to the root of checkpoint {checkpoint.Size}");
        return (new LoggedEntry(Index, decoded.entry, decoded.time, EntryData), checkpoint);
    }
}
