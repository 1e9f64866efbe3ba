namespace Provenance.Generator.Pipeline;

/// <summary>The hidden temporary files of one stamping run, all in the output folder (so renames are atomic).</summary>
public sealed record StampingTempFiles(string Encoded, string Signed, string PendingReceipt)
{
    public const string Prefix = ".provenance-";

    public static StampingTempFiles For(string output, string assetHex)
    {
        var folder = Path.GetDirectoryName(output)!;
        var stem = Path.Combine(folder, $"{Prefix}{assetHex}.{Path.GetFileName(output)}");
        return new StampingTempFiles(stem + ".encoded.mp4", stem + ".signed.mp4", stem + ".receipt.pending");
    }

    /// <summary>Removes every temporary file of a run that was not released.</summary>
    public void DeleteUnreleased()
    {
        foreach (var path in new[] { Encoded, Encoded + ".partial", Signed, Signed + ".partial", PendingReceipt })
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException)
            {
            }
        }
        // The encoder's own partial file (".<name>.<guid>.partial") beside the encoded temp.
        var folder = Path.GetDirectoryName(Encoded)!;
        foreach (var partial in Directory.EnumerateFiles(folder, $".{Path.GetFileName(Encoded)}.*.partial"))
        {
            try
            {
                File.Delete(partial);
            }
            catch (IOException)
            {
            }
        }
    }
}

/// <summary>
/// Finishes or discards runs that a crash interrupted. A run whose ledger entry was written has a pending
/// receipt next to its signed clip: it is released (rolled forward), since the ledger already claims it.
/// Anything else a run left is deleted. Call at start-up for each output folder in use.
/// </summary>
public static class StampingRecovery
{
    /// <summary>Moves a signed clip and its receipt into place; returns the receipt path.</summary>
    internal static string Release(StampingTempFiles temp, string output)
    {
        var receiptPath = StampReceipt.PathFor(output);
        File.Move(temp.Signed, output, overwrite: true);
        File.Move(temp.PendingReceipt, receiptPath, overwrite: true);
        return receiptPath;
    }

    /// <summary>Rolls forward recorded runs and deletes unrecorded leftovers in <paramref name="folder"/>; returns the clips released.</summary>
    public static IReadOnlyList<string> Recover(string folder, TimeSpan? minimumAge = null)
    {
        var released = new List<string>();
        var cutoff = DateTime.UtcNow - (minimumAge ?? TimeSpan.FromHours(1));
        foreach (var pending in Directory.EnumerateFiles(folder, StampingTempFiles.Prefix + "*.receipt.pending"))
        {
            var stem = pending[..^".receipt.pending".Length];
            var signed = stem + ".signed.mp4";
            var name = Path.GetFileName(stem);
            var output = Path.Combine(folder, name[(StampingTempFiles.Prefix.Length + 17)..]);
            if (File.Exists(signed))
            {
                Release(new StampingTempFiles(stem + ".encoded.mp4", signed, pending), output);
                released.Add(output);
            }
        }
        foreach (var leftover in Directory.EnumerateFiles(folder, StampingTempFiles.Prefix + "*"))
        {
            if (!leftover.EndsWith(".receipt.pending", StringComparison.Ordinal) && File.GetLastWriteTimeUtc(leftover) < cutoff)
            {
                File.Delete(leftover);
            }
        }
        return released;
    }
}
