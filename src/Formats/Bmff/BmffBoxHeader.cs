using System.Text;

namespace Provenance.Formats.Bmff;

/// <summary>
/// One box header as found in the file: type, absolute offset, total size (header included), header length
/// (8, 16 with a 64-bit largesize, plus 16 for a <c>uuid</c> extended type).
/// </summary>
public readonly record struct BmffBoxHeader(string Type, long Offset, long Size, int HeaderLength, Guid? UserType, bool ExtendsToEnd)
{
    /// <summary>Offset of the first byte after the header.</summary>
    public long ContentOffset => Offset + HeaderLength;

    /// <summary>Bytes after the header.</summary>
    public long ContentSize => Size - HeaderLength;

    /// <summary>Offset just past the box.</summary>
    public long End => Offset + Size;

    /// <summary>Whether the header uses the 64-bit largesize form.</summary>
    public bool IsLargeSize => HeaderLength - (UserType is null ? 0 : 16) == 16;

    public override string ToString() => $"{Type}@{Offset}+{Size}";
}

/// <summary>Box type codes as four-character strings (bytes mapped one to one, so QuickTime's '©nam' survives).</summary>
public static class FourCC
{
    public static string FromBytes(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes[..4]);

    public static void Write(string type, Span<byte> destination)
    {
        if (type.Length != 4 || type.Any(c => c > 0xFF))
            throw new ArgumentException("a box type is four single-byte characters", nameof(type));
        Encoding.Latin1.GetBytes(type, destination);
    }
}

/// <summary>A box and, for container boxes, its children (headers only; payloads stay in the file).</summary>
public sealed class BmffBox
{
    internal BmffBox(BmffBoxHeader header, IReadOnlyList<BmffBox> children, long childrenOffset)
    {
        Header = header;
        Children = children;
        ChildrenOffset = childrenOffset;
    }

    public BmffBoxHeader Header { get; }

    public string Type => Header.Type;

    /// <summary>Child boxes for containers (moov, trak, moof, meta, ...); empty for leaf boxes.</summary>
    public IReadOnlyList<BmffBox> Children { get; }

    /// <summary>Where the children start (after the header, plus 4 for full-box containers such as ISO meta).</summary>
    public long ChildrenOffset { get; }

    /// <summary>The first direct child of this type, or null.</summary>
    public BmffBox? Child(string type) => Children.FirstOrDefault(child => child.Type == type);

    /// <summary>All boxes of this type below this one (depth first, document order).</summary>
    public IEnumerable<BmffBox> Descendants(string type)
    {
        var stack = new Stack<BmffBox>();
        for (int i = Children.Count - 1; i >= 0; i--)
            stack.Push(Children[i]);
        while (stack.Count > 0)
        {
            var box = stack.Pop();
            if (box.Type == type)
                yield return box;
            for (int i = box.Children.Count - 1; i >= 0; i--)
                stack.Push(box.Children[i]);
        }
    }

    public override string ToString() => Header.ToString();
}
