using Provenance.Formats.Bmff;
using Provenance.Formats.Cbor;
using Provenance.Formats.Cose;
using Provenance.Formats.Jumbf;

namespace Provenance.Formats.Fuzzing;

/// <summary>The parsers of this project as fuzz targets.</summary>
public static class FuzzTargets
{
    public static FuzzTarget Cbor { get; } = new("cbor", typeof(CborException), FuzzSamples.Cbor, FuzzSamples.DeepCbor, ParseCbor);

    public static FuzzTarget Cose { get; } = new("cose", typeof(CoseException), FuzzSamples.Cose, FuzzSamples.DeepCose, ParseCose);

    public static FuzzTarget Jumbf { get; } = new("jumbf", typeof(JumbfException), FuzzSamples.Jumbf, FuzzSamples.DeepJumbf, ParseJumbf);

    public static FuzzTarget Bmff { get; } = new("bmff", typeof(BmffException), FuzzSamples.Bmff, FuzzSamples.DeepBmff, ParseBmff);

    public static IReadOnlyList<FuzzTarget> All { get; } = [Cbor, Cose, Jumbf, Bmff];

    public static FuzzTarget Get(string name) =>
        All.FirstOrDefault(target => string.Equals(target.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"no fuzz target '{name}' (known: {string.Join(", ", All.Select(t => t.Name))})", nameof(name));

    private static void ParseCbor(byte[] input)
    {
        var value = CborValue.Decode(input);
        _ = value.ToString();
        var encoded = value.Encode();
        // The deterministic encoding must decode to an equal value.
        if (!CborValue.Decode(encoded, new CborReaderOptions { MaxDepth = 1024 }).Equals(value))
            throw new InvalidOperationException("re-encoded CBOR decodes to a different value");
        var reader = new CborReader(input);
        reader.SkipValue();
    }

    private static void ParseCose(byte[] input)
    {
        var message = CoseSign1Message.Decode(input);
        _ = message.CertificateChain;
        _ = message.ToBeSigned(message.Payload);
        _ = message.CounterSignatureToBeSigned();
        _ = message.Encode();
        if (message.Algorithm == CoseAlgorithm.EdDSA)
            message.VerifyDetachedEd25519(message.Payload, FuzzSamples.Ed25519PublicKey);
    }

    private static void ParseJumbf(byte[] input)
    {
        var store = JumbfReader.Read(input);
        var stack = new Stack<JumbfSuperBox>();
        stack.Push(store);
        while (stack.Count > 0)
        {
            var box = stack.Pop();
            _ = box.ContentsForHashing();
            _ = box.Label is null ? null : store.FindChild(box.Label);
            foreach (var child in box.SuperBoxes)
                stack.Push(child);
        }
        if (store.Original.Length != input.Length)
            throw new InvalidOperationException("the store does not cover its input");
    }

    private static void ParseBmff(byte[] input)
    {
        using var stream = new MemoryStream(input, writable: false);
        var layout = BmffLayout.Read(stream);
        foreach (var box in layout.Boxes)
        {
            if (!BmffReader.IsContainer(box.Type))
                continue;
            var tree = BmffReader.ReadTree(stream, box);
            foreach (var table in tree.Descendants("stco").Concat(tree.Descendants("co64")))
                BmffOffsetTables.ReadChunkOffsets(table.Type, BmffLayout.ReadContent(stream, table.Header));
            foreach (var tfhd in tree.Descendants("tfhd"))
                BmffOffsetTables.ReadBaseDataOffset(BmffLayout.ReadContent(stream, tfhd.Header));
        }
        foreach (var c2pa in layout.C2paBoxes)
        {
            var bytes = new byte[c2pa.Size];
            stream.Position = c2pa.Offset;
            stream.ReadExactly(bytes);
            C2paBmffBox.Parse(bytes);
        }
        using var output = new MemoryStream();
        BmffRewriter.WriteC2paBox(stream, output, FuzzSamples.SmallC2paBox);
    }
}
