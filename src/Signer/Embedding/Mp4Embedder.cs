using System.Buffers.Binary;
using System.Security.Cryptography;
using Provenance.Formats.Cbor;
using Provenance.Formats.Cose;
using Provenance.Signer.C2pa;
using Provenance.Formats.Bmff;
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
    private const int TimeStampReservation = 16 * 1024;
    private const int PadReservation = 512;

    /// <summary>
    /// Signs the clip at <paramref name="inputPath"/> into <paramref name="outputPath"/>. The parent ingredient comes from
    /// <paramref name="parentPath"/> when given (a clip whose frames were re-encoded into the input, such as an import),
    /// otherwise from the input itself.
    /// </summary>
    public static async Task<SignedClip> SignAsync(string inputPath, string outputPath, ClipManifest manifest, ISigner signer,
        ITimeStamper? timeStamper, CancellationToken cancellationToken, string? parentPath = null)
    {
        if (Path.GetFullPath(inputPath) == Path.GetFullPath(outputPath)) throw new EmbeddingException("the output must differ from the input");
        await using var input = new FileStream(inputPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        await using var parent = parentPath is null ? null
            : new FileStream(parentPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.RandomAccess);
        var temp = outputPath + ".partial";
        try
        {
            SignedClip result;
            await using (var output = new FileStream(temp, FileMode.Create, FileAccess.ReadWrite, FileShare.None, bufferSize: 0, FileOptions.None))
            {
                result = await SignAsync(input, output, manifest, signer, timeStamper, cancellationToken, parent).ConfigureAwait(false);
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

    /// <summary>
    /// Signs <paramref name="input"/> (seekable) into <paramref name="output"/> (seekable, written from its start). A readable
    /// manifest store in <paramref name="parentSource"/> (seekable), or in the input when none is given, becomes the parent ingredient.
    /// </summary>
    public static async Task<SignedClip> SignAsync(Stream input, Stream output, ClipManifest manifest, ISigner signer,
        ITimeStamper? timeStamper, CancellationToken cancellationToken, Stream? parentSource = null)
    {
        BmffLayout layout;
        try
        {
            layout = BmffLayout.Read(input);
        }
        catch (BmffException e)
        {
            throw new EmbeddingException($"not a readable MP4: {e.Message}", e);
        }
        if (layout.Ftyp is null) throw new EmbeddingException("not an MP4: the file does not start with 'ftyp'");
        if (layout.Moov is null) throw new EmbeddingException("not an MP4: no 'moov' box");

        int reservation = ManifestComposer.UnpaddedSignatureSize(signer) + PadReservation + (timeStamper is null ? 0 : TimeStampReservation);
        var parent = parentSource is null
            ? await ReadParentAsync(input, layout, cancellationToken).ConfigureAwait(false)
            : await ReadParentAsync(parentSource, cancellationToken).ConfigureAwait(false);
        var composer = new ManifestComposer(manifest, parent);
        var placeholderClaim = composer.Claim(out var placeholderAssertions);
        var placeholderStore = composer.Store(placeholderClaim, placeholderAssertions, ManifestComposer.PlaceholderSignature(signer, reservation));
        var placeholderBox = C2paBmffBox.CreateManifest(placeholderStore);

        // One pass: the rewriter inserts the box after ftyp (replacing older C2PA boxes) and patches chunk
        // offsets; the hashing stream hashes each top-level box as it is written.
        output.Position = 0;
        output.SetLength(0);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var hashing = new BmffHashingStream(output, hash);
        BmffRewriteResult rewritten;
        try
        {
            rewritten = await Task.Run(() => BmffRewriter.WriteC2paBox(input, hashing, placeholderBox, RewriteOptions, cancellationToken), cancellationToken).ConfigureAwait(false);
            hashing.Complete();
        }
        catch (BmffException e)
        {
            throw new EmbeddingException($"cannot rewrite the MP4: {e.Message}", e);
        }
        long boxOffset = rewritten.EditOffsets[0];
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
        var store = composer.Store(claim, assertionBoxes, cose);
        var box = C2paBmffBox.CreateManifest(store);
        if (box.Length != placeholderBox.Length) throw new InvalidOperationException("the signed manifest store changed size");
        output.Position = boxOffset;
        await output.WriteAsync(box, cancellationToken).ConfigureAwait(false);
        output.Position = rewritten.OutputLength;

        return new SignedClip(composer.Label, SHA256.HashData(store), SHA256.HashData(claim), SHA256.HashData(cose), bmffHash,
            token is not null, rewritten.OutputLength);
    }

    private static async Task<ParentIngredient?> ReadParentAsync(Stream source, CancellationToken cancellationToken)
    {
        BmffLayout layout;
        try
        {
            source.Position = 0;
            layout = BmffLayout.Read(source);
        }
        catch (BmffException)
        {
            return null;
        }
        return await ReadParentAsync(source, layout, cancellationToken).ConfigureAwait(false);
    }

    // A clip that already carries a readable manifest store keeps it: its active manifest becomes the parent ingredient.
    private static async Task<ParentIngredient?> ReadParentAsync(Stream input, BmffLayout layout, CancellationToken cancellationToken)
    {
        var boxes = layout.C2paBoxes.ToList();
        if (boxes.Count != 1 || boxes[0].Size > Verification.C2paVerifier.MaxManifestStoreBytes) return null;
        var validation = await Verification.C2paVerifier.VerifyAsync(input, Certificates.TrustList.None, cancellationToken).ConfigureAwait(false);
        if (validation.State == Verification.C2paState.Absent) return null;
        var bytes = new byte[boxes[0].Size];
        input.Position = boxes[0].Offset;
        await input.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
        try
        {
            var content = C2paBmffBox.Parse(bytes);
            return content.Purpose == C2paBmffBox.ManifestPurpose ? ParentIngredient.FromStore(content.Data.ToArray(), validation) : null;
        }
        catch (BmffException)
        {
            return null;
        }
    }

    private static readonly BmffRewriteOptions RewriteOptions = new() { CopyBufferBytes = CopyBufferSize };

    /// <summary>Whether a top-level box is a C2PA <c>uuid</c> box.</summary>
    public static bool IsC2paBox(BmffBoxHeader box) => box.Type == "uuid" && box.UserType == BmffLayout.C2paUuid;
}
