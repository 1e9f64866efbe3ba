using System.Text;

namespace Provenance.Formats.Jumbf;

/// <summary>A box inside a JUMBF superbox: either a nested superbox or a content box.</summary>
public abstract class JumbfBox
{
    private protected JumbfBox()
    {
    }

    /// <summary>Four-character box type.</summary>
    public abstract string Type { get; }

    /// <summary>The box exactly as read (header included); empty for boxes built in code.</summary>
    public ReadOnlyMemory<byte> Original { get; internal set; }

    /// <summary>Offset of the box in the input it was read from, or -1.</summary>
    public long Offset { get; internal set; } = -1;

    /// <summary>The box's encoding: 8-byte header (16 with XLBox when needed) then its contents.</summary>
    public byte[] Encode()
    {
        var contents = EncodeContents();
        return JumbfWriter.WithHeader(Type, contents);
    }

    /// <summary>The box's bytes without its header.</summary>
    public abstract byte[] EncodeContents();
}

/// <summary>A content box (cbor, json, uuid, bfdb, bidb, c2sh, or any other type), kept as raw bytes.</summary>
public sealed class JumbfContentBox : JumbfBox
{
    public JumbfContentBox(string type, byte[] payload)
    {
        JumbfWriter.CheckType(type);
        Type = type;
        Payload = payload ?? throw new ArgumentNullException(nameof(payload));
    }

    public override string Type { get; }

    /// <summary>The box content after its header.</summary>
    public byte[] Payload { get; }

    public static JumbfContentBox Cbor(byte[] encodedCbor) => new(JumbfBoxTypes.Cbor, encodedCbor);

    public static JumbfContentBox Json(string json) => new(JumbfBoxTypes.Json, Encoding.UTF8.GetBytes(json));

    public override byte[] EncodeContents() => Payload;
}

/// <summary>The description box (<c>jumd</c>) of a superbox.</summary>
public sealed class JumbfDescription
{
    public const byte Requestable = 0x01;
    public const byte LabelPresent = 0x02;
    public const byte IdPresent = 0x04;
    public const byte HashPresent = 0x08;
    public const byte PrivatePresent = 0x10;

    public JumbfDescription(Guid type, string? label, uint? id = null, byte[]? hash = null, JumbfContentBox? privateBox = null, bool requestable = true)
    {
        if (label is not null && (label.Contains('\0') || label.Length == 0))
            throw new ArgumentException("a label is non-empty and holds no NUL", nameof(label));
        if (hash is not null && hash.Length != 32)
            throw new ArgumentException("the description hash is 32 bytes", nameof(hash));
        TypeId = type;
        Label = label;
        Id = id;
        Hash = hash;
        PrivateBox = privateBox;
        Toggles = (byte)((requestable ? Requestable : 0) | (label is null ? 0 : LabelPresent) | (id is null ? 0 : IdPresent)
            | (hash is null ? 0 : HashPresent) | (privateBox is null ? 0 : PrivatePresent));
    }

    internal JumbfDescription(Guid type, byte toggles, string? label, uint? id, byte[]? hash, JumbfContentBox? privateBox)
    {
        TypeId = type;
        Toggles = toggles;
        Label = label;
        Id = id;
        Hash = hash;
        PrivateBox = privateBox;
    }

    /// <summary>The superbox's content type UUID (see <see cref="JumbfTypes"/>).</summary>
    public Guid TypeId { get; }

    public byte Toggles { get; }

    public string? Label { get; }

    public uint? Id { get; }

    /// <summary>Optional 32-byte SHA-256 of the superbox content.</summary>
    public byte[]? Hash { get; }

    /// <summary>Optional private box, for C2PA a <c>c2sh</c> salt.</summary>
    public JumbfContentBox? PrivateBox { get; }

    public byte[] Encode() => JumbfWriter.WithHeader(JumbfBoxTypes.Description, JumbfWriter.DescriptionContents(this));
}
