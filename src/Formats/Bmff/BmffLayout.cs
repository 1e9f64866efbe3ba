using System.Buffers.Binary;

namespace Provenance.Formats.Bmff;

/// <summary>
/// The top-level structure of an ISO BMFF / QuickTime file, read without loading media data:
/// box offsets and sizes, brands, and what the file holds that absolute offsets point from.
/// </summary>
public sealed class BmffLayout
{
    /// <summary>Extended type of the C2PA manifest box (a top-level <c>uuid</c> box).</summary>
    public static readonly Guid C2paUuid = new("d8fec3d6-1b0e-483c-9297-5828877ec481");

    private BmffLayout(long fileLength, IReadOnlyList<BmffBoxHeader> boxes, string? majorBrand, IReadOnlyList<string> compatibleBrands)
    {
        FileLength = fileLength;
        Boxes = boxes;
        MajorBrand = majorBrand;
        CompatibleBrands = compatibleBrands;
    }

    public long FileLength { get; }

    /// <summary>Top-level boxes in file order; they tile the file exactly.</summary>
    public IReadOnlyList<BmffBoxHeader> Boxes { get; }

    /// <summary>The <c>ftyp</c> major brand, or null when the file has no ftyp (old QuickTime files).</summary>
    public string? MajorBrand { get; }

    public IReadOnlyList<string> CompatibleBrands { get; }

    /// <summary>QuickTime file: major brand 'qt  ', or no ftyp at all.</summary>
    public bool IsQuickTime => MajorBrand is null or "qt  ";

    /// <summary>Movie fragments present (top-level moof), as in fragmented MP4 / CMAF / DASH.</summary>
    public bool IsFragmented => Boxes.Any(box => box.Type == "moof");

    public BmffBoxHeader? Ftyp => Find("ftyp");

    public BmffBoxHeader? Moov => Find("moov");

    /// <summary>Top-level C2PA <c>uuid</c> boxes.</summary>
    public IEnumerable<BmffBoxHeader> C2paBoxes => Boxes.Where(box => box.UserType == C2paUuid);

    /// <summary>The first top-level box of a type, or null.</summary>
    public BmffBoxHeader? Find(string type)
    {
        foreach (var box in Boxes)
        {
            if (box.Type == type)
                return box;
        }
        return null;
    }

    /// <summary>Reads the layout of a seekable stream (headers and the ftyp only).</summary>
    public static BmffLayout Read(Stream stream, BmffReaderOptions? options = null)
    {
        var boxes = BmffReader.ReadTopLevel(stream, options);
        if (boxes.Count == 0)
            throw new BmffException("the file holds no boxes", 0);
        string? major = null;
        var compatible = new List<string>();
        var ftypIndex = boxes.ToList().FindIndex(box => box.Type == "ftyp");
        if (ftypIndex > 0)
            throw new BmffException("'ftyp' must be the first box", boxes[ftypIndex].Offset);
        if (ftypIndex == 0)
        {
            var ftyp = boxes[0];
            if (ftyp.ContentSize < 8 || ftyp.ContentSize % 4 != 0 || ftyp.ContentSize > 4096)
                throw new BmffException($"'ftyp' content of {ftyp.ContentSize} bytes is not brand, version and brands", ftyp.Offset);
            var content = new byte[ftyp.ContentSize];
            stream.Position = ftyp.ContentOffset;
            stream.ReadExactly(content);
            major = FourCC.FromBytes(content);
            for (int i = 8; i + 4 <= content.Length; i += 4)
                compatible.Add(FourCC.FromBytes(content.AsSpan(i)));
        }
        if (boxes.Count(box => box.Type == "ftyp") > 1)
            throw new BmffException("more than one 'ftyp'", boxes.Last(box => box.Type == "ftyp").Offset);
        if (boxes.Count(box => box.Type == "moov") > 1)
            throw new BmffException("more than one 'moov'", boxes.Last(box => box.Type == "moov").Offset);
        return new BmffLayout(stream.Length, boxes, major, compatible);
    }

    /// <summary>Reads the moov box tree (headers), or null when the file has none.</summary>
    public BmffBox? ReadMoov(Stream stream, BmffReaderOptions? options = null) =>
        Moov is BmffBoxHeader moov ? BmffReader.ReadTree(stream, moov, options) : null;

    /// <summary>Reads a box's payload (after its header) into memory, refusing payloads over <paramref name="maxBytes"/>.</summary>
    public static byte[] ReadContent(Stream stream, BmffBoxHeader box, int maxBytes = 64 << 20)
    {
        if (box.ContentSize > maxBytes)
            throw new BmffException($"'{box.Type}' payload of {box.ContentSize} bytes is over the {maxBytes}-byte limit", box.Offset);
        var content = new byte[box.ContentSize];
        stream.Position = box.ContentOffset;
        stream.ReadExactly(content);
        return content;
    }

    internal static uint ReadUInt32(ReadOnlySpan<byte> bytes, int offset) => BinaryPrimitives.ReadUInt32BigEndian(bytes[offset..]);
}
