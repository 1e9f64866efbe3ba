namespace Provenance.Formats.Bmff;

/// <summary>A change to the top level of a BMFF file.</summary>
public abstract record BmffEdit
{
    private BmffEdit()
    {
    }

    /// <summary>Inserts one complete box at a top-level boundary (0 or the end of a top-level box).</summary>
    public sealed record Insert(long Offset, ReadOnlyMemory<byte> Box) : BmffEdit;

    /// <summary>Replaces a top-level box with one complete box, or removes it when <paramref name="Replacement"/> is empty.</summary>
    public sealed record Replace(BmffBoxHeader Box, ReadOnlyMemory<byte> Replacement) : BmffEdit;
}

/// <summary>Limits of <see cref="BmffRewriter"/>.</summary>
public sealed record BmffRewriteOptions
{
    public static BmffRewriteOptions Default { get; } = new();

    /// <summary>Largest metadata box (moov, moof, mfra, sidx) loaded into memory to patch offsets.</summary>
    public int MaxPatchedBoxBytes { get; init; } = 256 << 20;

    /// <summary>Size of the one copy buffer used for media data.</summary>
    public int CopyBufferBytes { get; init; } = 1 << 20;

    public BmffReaderOptions Reader { get; init; } = BmffReaderOptions.Default;
}

/// <summary>What a rewrite did.</summary>
/// <param name="OutputLength">Bytes written.</param>
/// <param name="EditOffsets">Output offset of each edit's new box, in the order the edits were given (-1 for a removal).</param>
/// <param name="PatchedOffsets">Absolute offsets rewritten (chunk offsets, base data offsets, fragment offsets, sidx).</param>
public sealed record BmffRewriteResult(long OutputLength, IReadOnlyList<long> EditOffsets, int PatchedOffsets);

/// <summary>
/// Copies a BMFF file while inserting, replacing or removing top-level boxes, and patches every absolute
/// offset that moves (stco/co64, saio, tfhd base data offsets, tfra, sidx, iloc). Media data is streamed through a
/// fixed buffer; only metadata boxes are loaded. Refuses (with <see cref="BmffException"/>) what it cannot
/// patch safely: stco overflow, offsets into replaced boxes, cmov.
/// </summary>
public static class BmffRewriter
{
    /// <summary>
    /// Writes <paramref name="box"/> (a complete C2PA <c>uuid</c> box) right after <c>ftyp</c> (or at the start
    /// when there is no ftyp), removing any C2PA boxes already present.
    /// </summary>
    public static BmffRewriteResult WriteC2paBox(Stream input, Stream output, ReadOnlyMemory<byte> box, BmffRewriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        var layout = BmffLayout.Read(input, options?.Reader);
        var edits = new List<BmffEdit> { new BmffEdit.Insert(layout.Ftyp?.End ?? 0, box) };
        edits.AddRange(layout.C2paBoxes.Select(existing => new BmffEdit.Replace(existing, ReadOnlyMemory<byte>.Empty)));
        return Rewrite(input, output, edits, options, cancellationToken);
    }

    /// <summary>Copies <paramref name="input"/> to <paramref name="output"/> with the edits applied.</summary>
    public static BmffRewriteResult Rewrite(Stream input, Stream output, IReadOnlyList<BmffEdit> edits, BmffRewriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(edits);
        options ??= BmffRewriteOptions.Default;
        var layout = BmffLayout.Read(input, options.Reader);
        var plan = OffsetShift.Plan(layout, edits, options.Reader);

        var editOffsets = Enumerable.Repeat(-1L, edits.Count).ToArray();
        var buffer = new byte[Math.Max(4096, options.CopyBufferBytes)];
        long written = 0;
        int patched = 0;

        void WriteInserts(long boundary)
        {
            foreach (var (index, insert) in plan.InsertsAt(boundary))
            {
                editOffsets[index] = written;
                output.Write(insert.Box.Span);
                written += insert.Box.Length;
            }
        }

        foreach (var box in layout.Boxes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            WriteInserts(box.Offset);
            if (plan.ReplacementFor(box) is (int index, BmffEdit.Replace replace))
            {
                if (!replace.Replacement.IsEmpty)
                {
                    editOffsets[index] = written;
                    output.Write(replace.Replacement.Span);
                    written += replace.Replacement.Length;
                }
                continue;
            }
            if (plan.IsIdentity || !NeedsPatching(box))
            {
                Copy(input, output, box.Offset, box.Size, buffer, cancellationToken);
                written += box.Size;
                continue;
            }
            var bytes = LoadBox(input, box, options.MaxPatchedBoxBytes);
            patched += box.Type == "sidx"
                ? BmffOffsetTables.PatchSidx(bytes, box, layout.FileLength, plan.Shift)
                : BmffOffsetTables.Patch(bytes, box.Offset, BmffReader.ReadTree(bytes, box.Offset, options.Reader), plan.Shift);
            output.Write(bytes);
            written += bytes.Length;
        }
        WriteInserts(layout.FileLength);
        return new BmffRewriteResult(written, editOffsets, patched);
    }

    private static bool NeedsPatching(BmffBoxHeader box) => box.Type is "moov" or "moof" or "mfra" or "sidx" or "meta";

    private static byte[] LoadBox(Stream input, BmffBoxHeader box, int maxBytes)
    {
        if (box.Size > maxBytes)
            throw new BmffException($"'{box.Type}' of {box.Size} bytes is over the {maxBytes}-byte limit for patching", box.Offset);
        if (box.ExtendsToEnd)
            throw new BmffException($"'{box.Type}' with size 0 cannot be patched", box.Offset);
        var bytes = new byte[box.Size];
        input.Position = box.Offset;
        input.ReadExactly(bytes);
        return bytes;
    }

    private static void Copy(Stream input, Stream output, long offset, long length, byte[] buffer, CancellationToken cancellationToken)
    {
        input.Position = offset;
        long left = length;
        while (left > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int chunk = (int)Math.Min(buffer.Length, left);
            int read = input.Read(buffer, 0, chunk);
            if (read == 0)
                throw new BmffException("the input ended while copying", input.Position);
            output.Write(buffer, 0, read);
            left -= read;
        }
    }
}
