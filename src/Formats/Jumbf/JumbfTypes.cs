namespace Provenance.Formats.Jumbf;

/// <summary>JUMBF superbox type UUIDs used by C2PA (ISO 19566-5; all end -0011-0010-8000-00AA00389B71).</summary>
public static class JumbfTypes
{
    public static Guid ManifestStore { get; } = C2pa(0x63327061);          // "c2pa"
    public static Guid StandardManifest { get; } = C2pa(0x63326D61);       // "c2ma"
    public static Guid UpdateManifest { get; } = C2pa(0x6332756D);         // "c2um"
    public static Guid CompressedManifest { get; } = C2pa(0x6332636D);     // "c2cm"
    public static Guid AssertionStore { get; } = C2pa(0x63326173);         // "c2as"
    public static Guid Claim { get; } = C2pa(0x6332636C);                  // "c2cl"
    public static Guid Signature { get; } = C2pa(0x63326373);              // "c2cs"
    public static Guid CredentialStore { get; } = C2pa(0x63327663);        // "c2vc"
    public static Guid DatabaseStore { get; } = C2pa(0x63326462);          // "c2db"
    public static Guid Cbor { get; } = C2pa(0x63626F72);                   // "cbor"
    public static Guid Json { get; } = C2pa(0x6A736F6E);                   // "json"
    public static Guid Codestream { get; } = C2pa(0x6A703263);             // "jp2c"
    public static Guid Uuid { get; } = C2pa(0x75756964);                   // "uuid"
    public static Guid EmbeddedFile { get; } = C2pa(0x40CB0C32);

    /// <summary>A type UUID whose first four bytes are <paramref name="prefix"/> and whose rest is the ISO suffix.</summary>
    public static Guid C2pa(uint prefix)
    {
        Span<byte> bytes = [0, 0, 0, 0, 0x00, 0x11, 0x00, 0x10, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes, prefix);
        return new Guid(bytes, bigEndian: true);
    }
}

/// <summary>Four-character box types found in JUMBF.</summary>
public static class JumbfBoxTypes
{
    public const string SuperBox = "jumb";
    public const string Description = "jumd";
    public const string Cbor = "cbor";
    public const string Json = "json";
    public const string Uuid = "uuid";
    public const string EmbeddedFileDescription = "bfdb";
    public const string BinaryData = "bidb";
    public const string SaltHash = "c2sh";
}
