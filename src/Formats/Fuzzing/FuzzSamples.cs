using Provenance.Formats.Bmff;
using Provenance.Formats.Cbor;
using Provenance.Formats.Cose;
using Provenance.Formats.Jumbf;
using static Provenance.Formats.Fuzzing.SampleBoxes;

namespace Provenance.Formats.Fuzzing;

// Deterministic valid samples and crafted deep inputs for each target.
internal static class FuzzSamples
{
    private static readonly byte[] Ed25519PrivateKey = Convert.FromHexString("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");

    public static readonly byte[] Ed25519PublicKey = Convert.FromHexString("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");

    public static readonly byte[] SmallC2paBox = C2paBmffBox.CreateManifest(new JumbfSuperBox(JumbfTypes.ManifestStore, "c2pa").Encode());

    public static byte[] Cbor()
    {
        var claim = new CborMap
        {
            ["instanceID"] = "xmp:iid:0f4b8c1e-8d6f-4d2b-9f5e-2a1c3b4d5e6f",
            ["claim_generator_info"] = new CborMap { ["name"] = "provenance", ["version"] = "1.0" },
            ["signature"] = "self#jumbf=/c2pa/urn:c2pa:1/c2pa.signature",
            ["created_assertions"] = new CborArray
            {
                new CborMap { ["url"] = "self#jumbf=c2pa.assertions/c2pa.actions.v2", ["hash"] = new byte[32] },
                new CborMap { ["url"] = "self#jumbf=c2pa.assertions/c2pa.hash.bmff.v3", ["hash"] = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray() },
            },
            ["alg"] = "sha256",
            [-7] = new CborTag(1, 1_700_000_000),
            [1000000] = new CborArray { 1.5, -4.1, 100000.0, CborValue.Null, CborValue.True, CborValue.Undefined, new CborSimpleValue(99), -1_000_000_000_000 },
        };
        // Append an indefinite-length map holding an indefinite string, as another encoder might write it.
        var definite = claim.Encode();
        byte[] indefinite = [0xBF, 0x61, 0x6B, 0x7F, 0x62, 0x61, 0x62, 0x61, 0x63, 0xFF, 0x61, 0x6C, 0x9F, 0x01, 0x5F, 0x41, 0x00, 0xFF, 0xFF, 0xFF];
        return [0x82, .. definite, .. indefinite];
    }

    public static byte[] Cose()
    {
        var unprotected = new CborMap
        {
            ["sigTst2"] = new CborMap { ["tstTokens"] = new CborArray { new CborMap { ["val"] = new byte[40] } } },
            ["rVals"] = new CborMap { ["ocspVals"] = new CborArray { new byte[] { 1, 2, 3 } } },
        };
        var signer = CoseSigner.ForEd25519(Ed25519PrivateKey, [new byte[60], new byte[40]]);
        var message = CoseSign1.CreateDetached("claim bytes"u8, signer, unprotected);
        return message.EncodePadded(message.Encode().Length + 30);
    }

    public static byte[] Jumbf()
    {
        var assertions = new JumbfSuperBox(JumbfTypes.AssertionStore, "c2pa.assertions",
            new JumbfSuperBox(JumbfTypes.Cbor, "c2pa.actions.v2", JumbfContentBox.Cbor(new CborMap { ["actions"] = new CborArray() }.Encode())),
            new JumbfSuperBox(new JumbfDescription(JumbfTypes.Json, "stds.schema-org.CreativeWork", id: 3, hash: new byte[32], privateBox: new JumbfContentBox("c2sh", new byte[16])),
                [JumbfContentBox.Json("{\"a\":1}")]),
            new JumbfSuperBox(JumbfTypes.EmbeddedFile, "c2pa.thumbnail.claim.jpeg", new JumbfContentBox("bfdb", [0, .. "image/jpeg"u8, 0]), new JumbfContentBox("bidb", new byte[24])));
        var manifest = new JumbfSuperBox(JumbfTypes.StandardManifest, "urn:c2pa:00000000-0000-4000-8000-000000000000",
            assertions,
            new JumbfSuperBox(JumbfTypes.Claim, "c2pa.claim.v2", JumbfContentBox.Cbor(new CborMap { ["alg"] = "sha256" }.Encode())),
            new JumbfSuperBox(JumbfTypes.Signature, "c2pa.signature", JumbfContentBox.Cbor([0xD2, 0x84, 0x40, 0xA0, 0xF6, 0x40])));
        return new JumbfSuperBox(JumbfTypes.ManifestStore, "c2pa", manifest).Encode();
    }

    public static byte[] Bmff()
    {
        byte[] ftyp = Box("ftyp", "isom"u8.ToArray(), U32(512), "isomiso2mp41"u8.ToArray());
        byte[] hdlr = FullBox("hdlr", 0, 0, U32(0), "vide"u8.ToArray(), new byte[12], [0]);
        byte[] udta = Box("udta", Box("meta", hdlr, Box("keys", new byte[8])), U32(0));
        int moovLength = MoovFor(0).Length;
        long mdatStart = ftyp.Length + SmallC2paBox.Length + moovLength;
        byte[] moov = MoovFor(mdatStart + 8);
        byte[] mdat = Box("mdat", new byte[64]);
        long moofStart = mdatStart + mdat.Length + SidxLength;
        byte[] moof = Box("moof", FullBox("mfhd", 0, 0, U32(1)), Box("traf", FullBox("tfhd", 0, 1, U32(1), U64((ulong)moofStart)), FullBox("trun", 0, 1, U32(1), U32(8), U32(16))));
        byte[] mdat2 = Box("mdat", new byte[16]);
        byte[] sidx = FullBox("sidx", 0, 0, U32(1), U32(1000), U32(0), U32(0), [0, 0, 0, 1], U32((uint)(moof.Length + mdat2.Length)), U32(1000), U32(0x90000000));
        byte[] mfra = Box("mfra", FullBox("tfra", 0, 0, U32(1), U32(0), U32(1), U32(0), U32((uint)moofStart), [1, 1, 1]), FullBox("mfro", 0, 0, U32(16 + 12 + 20 + 16)));
        // HEIF-style item locations (version 1, 4-byte offsets and lengths): one item in the file, one in idat.
        byte[] iloc = FullBox("iloc", 1, 0, [0x44, 0x00], [0, 2],
            [0, 1], [0, 0], [0, 0], [0, 1], U32((uint)(mdatStart + 8)), U32(16),
            [0, 2], [0, 1], [0, 0], [0, 1], U32(0), U32(4));
        byte[] meta = Box("meta", [0, 0, 0, 0], hdlr, iloc, Box("idat", new byte[4]));
        return [.. ftyp, .. SmallC2paBox, .. moov, .. mdat, .. sidx, .. moof, .. mdat2, .. mfra, .. Box("free", new byte[4]), .. meta];

        byte[] MoovFor(long firstChunk) => Box("moov",
            FullBox("mvhd", 0, 0, new byte[96]),
            Box("trak",
                FullBox("tkhd", 0, 3, new byte[80]),
                Box("edts", FullBox("elst", 0, 0, U32(0))),
                Box("mdia", FullBox("mdhd", 0, 0, new byte[20]), hdlr,
                    Box("minf", Box("dinf", FullBox("dref", 0, 0, U32(0))),
                        Box("stbl", FullBox("stsd", 0, 0, U32(0)), FullBox("stco", 0, 0, U32(2), U32((uint)firstChunk), U32((uint)firstChunk + 32)),
                            FullBox("saio", 0, 0, U32(1), U32((uint)firstChunk)))))),
            Box("trak", Box("mdia", Box("minf", Box("stbl", FullBox("co64", 0, 0, U32(1), U64((ulong)firstChunk + 48)))))),
            Box("mvex", FullBox("trex", 0, 0, new byte[20])),
            udta);
    }

    // sidx version 0 with one reference: 8 header + 4 version/flags + 20 fixed + 4 count + 12.
    private const int SidxLength = 8 + 4 + 20 + 4 + 12;

    public static byte[] DeepCbor(int depth) =>
        [.. Enumerable.Range(0, depth).Select(i => (i % 3) switch { 0 => (byte)0x81, 1 => (byte)0xA1, _ => (byte)0xC6 }).SelectMany(b => b == 0xA1 ? new byte[] { 0xA1, 0x00 } : [b]), 0x00];

    public static byte[] DeepCose(int depth) =>
        [0xD2, 0x84, 0x43, 0xA1, 0x01, 0x27, 0xA1, 0x00, .. Enumerable.Repeat((byte)0x81, depth), 0x00, 0xF6, 0x40];

    public static byte[] DeepJumbf(int depth)
    {
        byte[] description = new JumbfDescription(JumbfTypes.Cbor, null, requestable: false).Encode();
        byte[] inner = [.. U32((uint)(8 + description.Length)), .. "jumb"u8, .. description];
        for (int i = 0; i < depth; i++)
            inner = [.. U32((uint)(8 + description.Length + inner.Length)), .. "jumb"u8, .. description, .. inner];
        return inner;
    }

    public static byte[] DeepBmff(int depth)
    {
        byte[] inner = Box("trak");
        for (int i = 0; i < depth; i++)
            inner = Box(i % 2 == 0 ? "moov" : "trak", inner);
        return [.. Box("ftyp", "isom"u8.ToArray(), U32(0)), .. Box("moov", inner)];
    }
}
