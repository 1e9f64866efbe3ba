namespace Provenance.Formats.Cbor;

public sealed partial class CborWriter
{
    private enum WriterFrameKind : byte { Array, Map, Tag }

    private sealed class WriterFrame(WriterFrameKind kind, long expected, int contentStart)
    {
        public WriterFrameKind Kind { get; } = kind;
        public long Expected { get; } = expected;
        public long Written { get; set; }
        public int ContentStart { get; } = contentStart;
        public int CurrentItemStart { get; set; } = -1;

        // Map entries: key start, value start, end (offsets into the buffer).
        public List<(int Key, int Value, int End)>? Entries { get; set; }
    }

    /// <summary>Opens an array of exactly <paramref name="count"/> items.</summary>
    public void WriteStartArray(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        BeginItem();
        WriteHeader(CborMajorType.Array, (ulong)count);
        _frames.Add(new WriterFrame(WriterFrameKind.Array, count, _length));
    }

    public void WriteEndArray()
    {
        var frame = CurrentFrame(WriterFrameKind.Array);
        if (frame.Written != frame.Expected)
            throw new InvalidOperationException($"array declared {frame.Expected} items but {frame.Written} were written");
        _frames.RemoveAt(_frames.Count - 1);
        EndItem();
    }

    /// <summary>Opens a map of exactly <paramref name="pairCount"/> entries; entries are sorted when it closes.</summary>
    public void WriteStartMap(int pairCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pairCount);
        BeginItem();
        WriteHeader(CborMajorType.Map, (ulong)pairCount);
        _frames.Add(new WriterFrame(WriterFrameKind.Map, (long)pairCount * 2, _length) { Entries = [] });
    }

    public void WriteEndMap()
    {
        var frame = CurrentFrame(WriterFrameKind.Map);
        if (frame.Written != frame.Expected)
            throw new InvalidOperationException($"map declared {frame.Expected / 2} pairs but {frame.Written / 2.0} were written");
        SortMapEntries(frame);
        _frames.RemoveAt(_frames.Count - 1);
        EndItem();
    }

    private void SortMapEntries(WriterFrame frame)
    {
        var entries = frame.Entries!;
        if (entries.Count == 0)
            return;
        var buffer = _buffer;
        var sorted = entries.ToArray();
        Array.Sort(sorted, (a, b) => buffer.AsSpan(a.Key, a.Value - a.Key).SequenceCompareTo(buffer.AsSpan(b.Key, b.Value - b.Key)));
        for (int i = 1; i < sorted.Length; i++)
        {
            if (buffer.AsSpan(sorted[i].Key, sorted[i].Value - sorted[i].Key)
                .SequenceEqual(buffer.AsSpan(sorted[i - 1].Key, sorted[i - 1].Value - sorted[i - 1].Key)))
                throw new InvalidOperationException("duplicate map key");
        }
        var content = buffer.AsSpan(frame.ContentStart, _length - frame.ContentStart);
        var reordered = new byte[content.Length];
        int offset = 0;
        foreach (var (key, _, end) in sorted)
        {
            buffer.AsSpan(key, end - key).CopyTo(reordered.AsSpan(offset));
            offset += end - key;
        }
        reordered.CopyTo(content);
    }

    private WriterFrame CurrentFrame(WriterFrameKind kind)
    {
        if (_frames.Count == 0 || _frames[^1].Kind != kind)
            throw new InvalidOperationException($"no open {kind.ToString().ToLowerInvariant()}");
        return _frames[^1];
    }

    private void BeginItem()
    {
        if (_frames.Count == 0)
        {
            if (_rootItems > 0)
                throw new InvalidOperationException("the top-level item is already complete");
            return;
        }
        var frame = _frames[^1];
        if (frame.Written >= frame.Expected)
            throw new InvalidOperationException($"the {frame.Kind.ToString().ToLowerInvariant()} already holds its declared items");
        if (frame.Kind == WriterFrameKind.Map)
            frame.CurrentItemStart = _length;
    }

    // Marks an item complete at the current level; completes enclosing tags.
    private void EndItem()
    {
        while (true)
        {
            if (_frames.Count == 0)
            {
                _rootItems++;
                return;
            }
            var frame = _frames[^1];
            frame.Written++;
            if (frame.Kind == WriterFrameKind.Map)
            {
                if (frame.Written % 2 == 1)
                    frame.Entries!.Add((frame.CurrentItemStart, _length, -1));
                else
                {
                    var last = frame.Entries![^1];
                    frame.Entries[^1] = (last.Key, last.Value, _length);
                }
            }
            if (frame.Kind != WriterFrameKind.Tag)
                return;
            _frames.RemoveAt(_frames.Count - 1);
        }
    }
}
