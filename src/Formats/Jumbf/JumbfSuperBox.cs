namespace Provenance.Formats.Jumbf;

/// <summary>A JUMBF superbox (<c>jumb</c>): a description box followed by content boxes and nested superboxes.</summary>
public sealed class JumbfSuperBox : JumbfBox
{
    private readonly List<JumbfBox> _children;

    public JumbfSuperBox(JumbfDescription description, IEnumerable<JumbfBox>? children = null)
    {
        Description = description ?? throw new ArgumentNullException(nameof(description));
        _children = children is null ? [] : [.. children];
    }

    /// <summary>A requestable, labelled superbox (toggles 0x03).</summary>
    public JumbfSuperBox(Guid type, string label, params JumbfBox[] children)
        : this(new JumbfDescription(type, label), children)
    {
    }

    public override string Type => JumbfBoxTypes.SuperBox;

    public JumbfDescription Description { get; }

    public string? Label => Description.Label;

    public Guid TypeId => Description.TypeId;

    /// <summary>Content boxes and nested superboxes, in order.</summary>
    public IReadOnlyList<JumbfBox> Children => _children;

    public IEnumerable<JumbfSuperBox> SuperBoxes => _children.OfType<JumbfSuperBox>();

    public IEnumerable<JumbfContentBox> ContentBoxes => _children.OfType<JumbfContentBox>();

    public void Add(JumbfBox child) => _children.Add(child ?? throw new ArgumentNullException(nameof(child)));

    public bool Remove(JumbfBox child) => _children.Remove(child);

    /// <summary>The nested superbox with this label, or null; throws <see cref="JumbfException"/> when several share it.</summary>
    public JumbfSuperBox? FindChild(string label)
    {
        JumbfSuperBox? found = null;
        foreach (var child in SuperBoxes)
        {
            if (!string.Equals(child.Label, label, StringComparison.Ordinal))
                continue;
            if (found is not null)
                throw new JumbfException($"several superboxes are labelled '{label}'", child.Offset);
            found = child;
        }
        return found;
    }

    /// <summary>Follows a '/'-separated label path (for example <c>c2pa.assertions/c2pa.actions.v2</c>); null when a step is missing.</summary>
    public JumbfSuperBox? FindPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        JumbfSuperBox? current = this;
        foreach (var step in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            current = current.FindChild(step);
            if (current is null)
                return null;
        }
        return current;
    }

    /// <summary>The single content box of the given type (such as <c>cbor</c>); throws when absent or repeated.</summary>
    public JumbfContentBox SingleContent(string type)
    {
        JumbfContentBox? found = null;
        foreach (var box in ContentBoxes)
        {
            if (box.Type != type)
                continue;
            if (found is not null)
                throw new JumbfException($"superbox '{Label}' holds several '{type}' boxes", box.Offset);
            found = box;
        }
        return found ?? throw new JumbfException($"superbox '{Label}' holds no '{type}' box", Offset);
    }

    /// <summary>The description box and children, without this box's header: what a C2PA hashed URI covers.</summary>
    public override byte[] EncodeContents()
    {
        var parts = new List<byte[]>(_children.Count + 1) { Description.Encode() };
        parts.AddRange(_children.Select(child => child.Encode()));
        return JumbfWriter.Concat(parts);
    }

    /// <summary>For a box that was read: the original bytes after its header (jumd + children); else the encoding.</summary>
    public ReadOnlyMemory<byte> ContentsForHashing()
    {
        if (Original.IsEmpty)
            return EncodeContents();
        int headerLength = JumbfWriter.HeaderLength(Original.Span);
        return Original[headerLength..];
    }
}
