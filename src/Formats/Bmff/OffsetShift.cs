namespace Provenance.Formats.Bmff;

// How edits move absolute offsets: positions at or after an insertion point move by its length; positions
// at or after the end of a replaced box move by the size difference; positions inside a replaced box are
// invalid (nothing may point into a box that is being rewritten).
internal sealed class OffsetShift
{
    private readonly List<(long Position, long Delta)> _steps = [];
    private readonly List<(long Start, long End)> _forbidden = [];
    private readonly List<(int Index, BmffEdit.Insert Insert)> _inserts = [];
    private readonly Dictionary<long, (int Index, BmffEdit.Replace Replace)> _replacements = [];

    private long _fileLength;

    public bool IsIdentity => _steps.All(step => step.Delta == 0) && _forbidden.Count == 0;

    public static OffsetShift Plan(BmffLayout layout, IReadOnlyList<BmffEdit> edits, BmffReaderOptions readerOptions)
    {
        var plan = new OffsetShift { _fileLength = layout.FileLength };
        var boundaries = new HashSet<long> { 0 };
        foreach (var box in layout.Boxes)
            boundaries.Add(box.End);
        var lastBox = layout.Boxes[^1];

        for (int i = 0; i < edits.Count; i++)
        {
            switch (edits[i])
            {
                case BmffEdit.Insert insert:
                    if (!boundaries.Contains(insert.Offset))
                        throw new BmffException($"insertion point {insert.Offset} is not a top-level box boundary", insert.Offset);
                    if (insert.Offset == layout.FileLength && lastBox.ExtendsToEnd)
                        throw new BmffException("cannot append after a box that extends to the end of the file", insert.Offset);
                    CheckSingleBox(insert.Box, readerOptions);
                    plan._inserts.Add((i, insert));
                    plan._steps.Add((insert.Offset, insert.Box.Length));
                    break;
                case BmffEdit.Replace replace:
                    if (!layout.Boxes.Contains(replace.Box))
                        throw new BmffException($"box {replace.Box} is not a top-level box of this file", replace.Box.Offset);
                    if (!plan._replacements.TryAdd(replace.Box.Offset, (i, replace)))
                        throw new BmffException($"box {replace.Box} is replaced twice", replace.Box.Offset);
                    if (!replace.Replacement.IsEmpty)
                        CheckSingleBox(replace.Replacement, readerOptions);
                    plan._forbidden.Add((replace.Box.Offset, replace.Box.End));
                    plan._steps.Add((replace.Box.End, replace.Replacement.Length - replace.Box.Size));
                    break;
                default:
                    throw new ArgumentException("unknown edit", nameof(edits));
            }
        }
        plan._steps.Sort((a, b) => a.Position.CompareTo(b.Position));
        return plan;
    }

    private static void CheckSingleBox(ReadOnlyMemory<byte> box, BmffReaderOptions options)
    {
        try
        {
            BmffReader.ReadTree(box, 0, options);
        }
        catch (BmffException e)
        {
            throw new ArgumentException($"the new bytes are not exactly one box: {e.Message}", nameof(box), e);
        }
    }

    public IEnumerable<(int Index, BmffEdit.Insert Insert)> InsertsAt(long boundary) =>
        _inserts.Where(item => item.Insert.Offset == boundary);

    public (int Index, BmffEdit.Replace Replace)? ReplacementFor(BmffBoxHeader box) =>
        _replacements.TryGetValue(box.Offset, out var found) ? found : null;

    public long Shift(long offset)
    {
        if (offset < 0 || offset > _fileLength)
            throw new BmffException($"an offset points beyond the end of the {_fileLength}-byte file", offset);
        foreach (var (start, end) in _forbidden)
        {
            if (offset >= start && offset < end)
                throw new BmffException($"an offset points into a box that is being replaced ({start}..{end})", offset);
        }
        long delta = 0;
        foreach (var (position, stepDelta) in _steps)
        {
            if (position > offset)
                break;
            delta += stepDelta;
        }
        long shifted = offset + delta;
        if (shifted < 0)
            throw new BmffException("an offset moves before the start of the file", offset);
        return shifted;
    }
}
