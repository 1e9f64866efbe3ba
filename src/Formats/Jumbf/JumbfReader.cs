using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;

namespace Provenance.Formats.Jumbf;

/// <summary>Limits of <see cref="JumbfReader"/>.</summary>
public sealed record JumbfReaderOptions
{
    public static JumbfReaderOptions Default { get; } = new();

    /// <summary>Deepest nesting of superboxes accepted.</summary>
    public int MaxDepth { get; init; } = 32;

    /// <summary>Most boxes accepted in the whole input.</summary>
    public int MaxBoxes { get; init; } = 100_000;
}

/// <summary>
/// Strict JUMBF reader: the input must be exactly one superbox; every box lies inside its parent, sizes are
/// checked (including the 64-bit XLBox form), nesting and box count are bounded, and nothing is skipped to
/// recover. Only <see cref="JumbfException"/> escapes.
/// </summary>
public static class JumbfReader
{
    private const int MaxLabelBytes = 1024;

    /// <summary>Reads one superbox that spans the whole input.</summary>
    public static JumbfSuperBox Read(ReadOnlyMemory<byte> data, JumbfReaderOptions? options = null)
    {
        var state = new State(options ?? JumbfReaderOptions.Default);
        var (type, headerLength, size) = ReadHeader(data.Span, 0, data.Length);
        if (type != JumbfBoxTypes.SuperBox)
            throw new JumbfException($"expected a 'jumb' superbox, found '{type}'", 0);
        if (size != data.Length)
            throw new JumbfException($"{data.Length - size} bytes after the superbox", size);
        return ReadSuperBox(data, 0, headerLength, (int)size, depth: 1, state);
    }

    /// <summary>Reads a sequence of boxes that fills the input exactly (for example the children of a superbox).</summary>
    public static IReadOnlyList<JumbfBox> ReadBoxes(ReadOnlyMemory<byte> data, JumbfReaderOptions? options = null)
    {
        var state = new State(options ?? JumbfReaderOptions.Default);
        return ReadChildren(data, 0, data.Length, depth: 0, state);
    }

    private sealed class State(JumbfReaderOptions options)
    {
        public JumbfReaderOptions Options { get; } = options;
        public int Boxes { get; set; }
    }

    // Returns the type, header length and total size of the box at offset, which must end by `end`.
    private static (string Type, int HeaderLength, long Size) ReadHeader(ReadOnlySpan<byte> data, int offset, int end)
    {
        if (end - offset < 8)
            throw new JumbfException($"box header needs 8 bytes, {end - offset} left", offset);
        uint size32 = BinaryPrimitives.ReadUInt32BigEndian(data[offset..]);
        var typeBytes = data.Slice(offset + 4, 4);
        foreach (byte b in typeBytes)
        {
            if (b is < 0x20 or > 0x7E)
                throw new JumbfException("box type is not four printable characters", offset);
        }
        string type = Encoding.ASCII.GetString(typeBytes);
        long size;
        int headerLength = 8;
        if (size32 == 1)
        {
            if (end - offset < 16)
                throw new JumbfException("XLBox header needs 16 bytes", offset);
            ulong large = BinaryPrimitives.ReadUInt64BigEndian(data[(offset + 8)..]);
            if (large > (ulong)(end - offset))
                throw new JumbfException($"box '{type}' of {large} bytes overruns its container", offset);
            size = (long)large;
            headerLength = 16;
        }
        else if (size32 == 0)
        {
            throw new JumbfException($"box '{type}' has size 0 (to end of file), which JUMBF content may not use", offset);
        }
        else
        {
            size = size32;
        }
        if (size < headerLength)
            throw new JumbfException($"box '{type}' size {size} is smaller than its header", offset);
        if (size > end - offset)
            throw new JumbfException($"box '{type}' of {size} bytes overruns its container ({end - offset} bytes left)", offset);
        return (type, headerLength, size);
    }

    private static JumbfSuperBox ReadSuperBox(ReadOnlyMemory<byte> data, int offset, int headerLength, int size, int depth, State state)
    {
        if (depth > state.Options.MaxDepth)
            throw new JumbfException($"superboxes nest deeper than {state.Options.MaxDepth}", offset);
        int end = offset + size;
        int position = offset + headerLength;
        var (type, descriptionHeader, descriptionSize) = ReadHeader(data.Span, position, end);
        if (type != JumbfBoxTypes.Description)
            throw new JumbfException($"a superbox must start with 'jumd', found '{type}'", position);
        CountBox(state, position);
        var description = ReadDescription(data, position + descriptionHeader, position + (int)descriptionSize, state);
        position += (int)descriptionSize;
        var children = ReadChildren(data, position, end, depth, state);
        return new JumbfSuperBox(description, children) { Original = data[offset..end], Offset = offset };
    }

    private static List<JumbfBox> ReadChildren(ReadOnlyMemory<byte> data, int position, int end, int depth, State state)
    {
        var children = new List<JumbfBox>();
        while (position < end)
        {
            var (type, headerLength, size) = ReadHeader(data.Span, position, end);
            CountBox(state, position);
            if (type == JumbfBoxTypes.SuperBox)
            {
                children.Add(ReadSuperBox(data, position, headerLength, (int)size, depth + 1, state));
            }
            else if (type == JumbfBoxTypes.Description)
            {
                throw new JumbfException("a 'jumd' box may only open a superbox", position);
            }
            else
            {
                var payload = data.Slice(position + headerLength, (int)size - headerLength);
                children.Add(new JumbfContentBox(type, payload.ToArray()) { Original = data.Slice(position, (int)size), Offset = position });
            }
            position += (int)size;
        }
        return children;
    }

    private static JumbfDescription ReadDescription(ReadOnlyMemory<byte> data, int start, int end, State state)
    {
        var span = data.Span;
        if (end - start < 17)
            throw new JumbfException("'jumd' needs a 16-byte type and a toggles byte", start);
        var typeId = new Guid(span.Slice(start, 16), bigEndian: true);
        byte toggles = span[start + 16];
        if ((toggles & 0xE0) != 0)
            throw new JumbfException($"'jumd' toggles 0x{toggles:x2} set reserved bits", start + 16);
        int position = start + 17;

        string? label = null;
        if ((toggles & JumbfDescription.LabelPresent) != 0)
        {
            int terminator = span[position..end].IndexOf((byte)0);
            if (terminator < 0)
                throw new JumbfException("'jumd' label has no NUL terminator", position);
            if (terminator > MaxLabelBytes)
                throw new JumbfException($"'jumd' label longer than {MaxLabelBytes} bytes", position);
            var labelBytes = span.Slice(position, terminator);
            if (!Utf8.IsValid(labelBytes))
                throw new JumbfException("'jumd' label is not valid UTF-8", position);
            label = Encoding.UTF8.GetString(labelBytes);
            position += terminator + 1;
        }

        uint? id = null;
        if ((toggles & JumbfDescription.IdPresent) != 0)
        {
            if (end - position < 4)
                throw new JumbfException("'jumd' id is cut short", position);
            id = BinaryPrimitives.ReadUInt32BigEndian(span[position..]);
            position += 4;
        }

        byte[]? hash = null;
        if ((toggles & JumbfDescription.HashPresent) != 0)
        {
            if (end - position < 32)
                throw new JumbfException("'jumd' hash is cut short", position);
            hash = span.Slice(position, 32).ToArray();
            position += 32;
        }

        JumbfContentBox? privateBox = null;
        if ((toggles & JumbfDescription.PrivatePresent) != 0)
        {
            var (type, headerLength, size) = ReadHeader(span, position, end);
            if (type is JumbfBoxTypes.SuperBox or JumbfBoxTypes.Description)
                throw new JumbfException($"'jumd' private box may not be '{type}'", position);
            CountBox(state, position);
            privateBox = new JumbfContentBox(type, span.Slice(position + headerLength, (int)size - headerLength).ToArray())
            {
                Original = data.Slice(position, (int)size),
                Offset = position,
            };
            position += (int)size;
        }

        if (position != end)
            throw new JumbfException($"{end - position} unexpected bytes at the end of 'jumd'", position);
        return new JumbfDescription(typeId, toggles, label, id, hash, privateBox);
    }

    private static void CountBox(State state, int position)
    {
        if (++state.Boxes > state.Options.MaxBoxes)
            throw new JumbfException($"more than {state.Options.MaxBoxes} boxes", position);
    }
}
