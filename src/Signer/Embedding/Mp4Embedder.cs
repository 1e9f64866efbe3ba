using System.Buffers.Binary;
using System.Security.Cryptography;
using Provenance.Formats.Cbor;
using Provenance.Formats.Cose;
using Provenance.Signer.C2pa;
using Provenance.Signer.Interim;
using Provenance.Signer.Manifest;
using Provenance.Signer.Signing;
using Provenance.Signer.TimeStamping;

namespace Provenance.Signer.Embedding;

/// <summary>
/// Signs an MP4/MOV and embeds the manifest store in a top-level <c>uuid</c> box right after <c>ftyp</c>.
/// One pass over the media: the box is written with a placeholder of its final size (so every offset is
/// final), chunk offsets in <c>moov</c>/<c>moof</c>/<c>mfra</c> are patched, the <c>c2pa.hash.bmff.v3</c>
/// hash is computed while the boxes are copied, then the signed store is written over the placeholder.
/// </summary>
public static class Mp4Embedder
{
    private const int CopyBufferSize = 1 << 20;
    private const long MaxPatchedBoxSize = 512L << 20;
    private const int TimeStampReservation = 16 * 1024;
    private const int PadReservation = 512;
    private static readonly HashSet<string> PatchedBoxes = ["moov", "moof", "mfra"];

    public static async Task<SignedClip> SignAsync(string inputPath, string outputPath, ClipManifest manifest, ISigner signer,
        ITimeStamper? timeStamper, CancellationToken cancellationToken)
    {
        if (Path.GetFullPath(inputPath) == Path.GetFullPath(outputPath)) throw new EmbeddingException("the output must differ from the input");
        await using var input = new FileStream(inputPath, FileMode.Open, FileAccess.Read, FileShare.Read, CopyBufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
        var temp = outputPath + ".partial";
        try
        {
            SignedClip result;
            await using (var output = new FileStream(temp, FileMode.Create, FileAccess.ReadWrite, FileShare.None, CopyBufferSize, FileOptions.Asynchronous))
            {
                result = await SignAsync(input, output, manifest, signer, timeStamper, cancellationToken).ConfigureAwait(false);
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            File.Move(temp, outputPath, overwrite: true);
            return result;
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Signs <paramref name="input"/> (seekable) into <paramref name="output"/> (seekable, written from its start).</summary>
    public static async Task<SignedClip> SignAsync(Stream input, Stream output, ClipManifest manifest, ISigner signer,
        ITimeStamper? timeStamper, CancellationToken cancellationToken)
    {
        List<BmffBox> boxes;
        try
        {
            boxes = await BmffBoxes.ReadTopLevelAsync(input, cancellationToken).ConfigureAwait(false);
        }
        catch (BmffFormatException e)
        {
            throw new EmbeddingException($"not a readable MP4: {e.Message}", e);
        }
        if (boxes.Count == 0 || boxes[0].Type != "ftyp") throw new EmbeddingException("not an MP4: the file does not start with 'ftyp'");
        if (!boxes.Any(b => b.Type == "moov")) throw new EmbeddingException("not an MP4: no 'moov' box");

        // Existing C2PA boxes are replaced by ours.
        var kept = boxes.Where(b => !IsC2paBox(b)).ToList();

        int reservation = ManifestComposer.UnpaddedSignatureSize(signer) + PadReservation + (timeStamper is null ? 0 : TimeStampReservation);
        var composer = new ManifestComposer(manifest);
        var placeholderClaim = composer.Claim(out var placeholderAssertions);
        var placeholderStore = composer.Store(placeholderClaim, placeholderAssertions, ManifestComposer.PlaceholderSignature(signer, reservation), []);
        var uuidHeader = C2paUuidBox.Header(placeholderStore.Length);
        long uuidSize = uuidHeader.Length + placeholderStore.Length;

        // Output layout: ftyp, our uuid, then every kept box in its original order.
        var outputOffsets = new long[kept.Count];
        long position = 0;
        long uuidOffset = 0;
        for (int i = 0; i < kept.Count; i++)
        {
            outputOffsets[i] = position;
            position += kept[i].Size;
            if (i == 0)
            {
                uuidOffset = position;
                position += uuidSize;
            }
        }
        long Shift(long inputOffset) => MapOffset(kept, outputOffsets, inputOffset);

        output.Position = 0;
        output.SetLength(0);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[CopyBufferSize];
        for (int i = 0; i < kept.Count; i++)
        {
            var box = kept[i];
            bool hashed = i != 0 && box.Type != "mfra"; // ftyp and mfra are excluded
            if (hashed)
            {
                var offset = new byte[8];
                BinaryPrimitives.WriteInt64BigEndian(offset, outputOffsets[i]);
                hash.AppendData(offset);
            }
            if (PatchedBoxes.Contains(box.Type))
            {
                if (box.Size > MaxPatchedBoxSize) throw new EmbeddingException($"'{box.Type}' box of {box.Size} bytes is too large");
                var bytes = new byte[box.Size];
                input.Position = box.Offset;
                await input.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
                try
                {
                    BmffBoxes.PatchOffsets(bytes, Shift);
                }
                catch (BmffFormatException e)
                {
                    throw new EmbeddingException($"cannot update offsets in '{box.Type}': {e.Message}", e);
                }
                if (hashed) hash.AppendData(bytes);
                await output.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await CopyAsync(input, box.Offset, box.Size, output, hashed ? hash : null, buffer, cancellationToken).ConfigureAwait(false);
            }
            if (i == 0)
            {
                await output.WriteAsync(uuidHeader, cancellationToken).ConfigureAwait(false);
                await output.WriteAsync(placeholderStore, cancellationToken).ConfigureAwait(false);
            }
        }
        long outputLength = output.Position;

        var bmffHash = hash.GetHashAndReset();
        composer.SetBmffHash(bmffHash);
        var claim = composer.Claim(out var assertionBoxes);
        var message = CoseSign1.CreateDetached(claim, ManifestComposer.CoseSignerFor(signer));
        byte[]? token = null;
        if (timeStamper is not null)
        {
            token = await timeStamper.TimeStampAsync(message.CounterSignatureToBeSigned(), cancellationToken).ConfigureAwait(false);
            message.UnprotectedHeaders[CoseHeaderLabels.SigTst2] = new CborMap { { "tstTokens", new CborArray([new CborMap { { "val", token } }]) } };
        }
        byte[] cose;
        try
        {
            cose = message.EncodePadded(reservation);
        }
        catch (CoseException e)
        {
            throw new EmbeddingException($"the claim signature does not fit its reserved {reservation} bytes", e);
        }
        var store = composer.Store(claim, assertionBoxes, cose, []);
        if (store.Length != placeholderStore.Length) throw new InvalidOperationException("the signed manifest store changed size");
        output.Position = uuidOffset + uuidHeader.Length;
        await output.WriteAsync(store, cancellationToken).ConfigureAwait(false);
        output.Position = outputLength;

        return new SignedClip(composer.Label, SHA256.HashData(store), SHA256.HashData(claim), SHA256.HashData(cose), bmffHash,
            token is not null, outputLength);
    }

    internal static bool IsC2paBox(BmffBox box) => box.Type == "uuid" && box.UserType is { } u && u.AsSpan().SequenceEqual(C2paLabels.BmffUuid);

    private static long MapOffset(List<BmffBox> kept, long[] outputOffsets, long inputOffset)
    {
        int lo = 0, hi = kept.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (inputOffset < kept[mid].Offset) hi = mid - 1;
            else if (inputOffset >= kept[mid].End) lo = mid + 1;
            else return inputOffset - kept[mid].Offset + outputOffsets[mid];
        }
        // An offset at the very end of the file (an empty last chunk) moves with the last box.
        if (kept.Count > 0 && inputOffset == kept[^1].End) return inputOffset - kept[^1].Offset + outputOffsets[^1];
        throw new BmffFormatException($"offset {inputOffset} points outside the file's boxes");
    }

    private static async Task CopyAsync(Stream input, long offset, long length, Stream output, IncrementalHash? hash, byte[] buffer,
        CancellationToken cancellationToken)
    {
        input.Position = offset;
        while (length > 0)
        {
            int want = (int)Math.Min(buffer.Length, length);
            await input.ReadExactlyAsync(buffer.AsMemory(0, want), cancellationToken).ConfigureAwait(false);
            hash?.AppendData(buffer, 0, want);
            await output.WriteAsync(buffer.AsMemory(0, want), cancellationToken).ConfigureAwait(false);
            length -= want;
        }
    }
}
