using Provenance.Formats.Cbor;
using Provenance.Signer.C2pa;
using Provenance.Signer.Certificates;
using Provenance.Signer.Embedding;
using Provenance.Formats.Jumbf;
using Provenance.Formats.Bmff;

namespace Provenance.Signer.Verification;

/// <summary>
/// Verifies the C2PA manifest store of an MP4/MOV (any ISO BMFF file): claim, hashed URIs, BMFF hash,
/// COSE signature, certificate profile, trust chain, validity at signing time (time-stamp when present),
/// ingredients' manifests. Results are data: hostile or broken files give <see cref="C2paState.Invalid"/>
/// with statuses, never an exception.
/// </summary>
public static partial class C2paVerifier
{
    public const int MaxManifestStoreBytes = 64 << 20;

    public static async Task<C2paValidationResult> VerifyAsync(string path, TrustList trust, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
        return await VerifyAsync(stream, trust, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Verifies a seekable stream. The only exceptions are cancellation and I/O errors of the stream itself.</summary>
    public static async Task<C2paValidationResult> VerifyAsync(Stream stream, TrustList trust, CancellationToken cancellationToken)
    {
        var statuses = new List<ValidationStatus>();
        IReadOnlyList<BmffBoxHeader> boxes;
        try
        {
            boxes = BmffLayout.Read(stream).Boxes;
        }
        catch (BmffException e)
        {
            // A C2PA box that is damaged or cut short is tampering, not absence: look where the walk failed and
            // right after ftyp, where C2PA places it.
            if (await StartsC2paBoxAsync(stream, e.Offset, cancellationToken).ConfigureAwait(false)
                || await StartsC2paBoxAsync(stream, await FtypEndAsync(stream, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false))
            {
                statuses.Add(new ValidationStatus(ValidationCodes.ManifestInaccessible, null, $"the file holds a C2PA box but its structure is broken: {e.Message}"));
                return Invalid(statuses);
            }
            return new C2paValidationResult(C2paState.Absent, statuses, null);
        }

        var c2paBoxes = boxes.Where(Mp4Embedder.IsC2paBox).ToList();
        if (c2paBoxes.Count == 0) return new C2paValidationResult(C2paState.Absent, statuses, null);

        var stores = new List<byte[]>();
        foreach (var box in c2paBoxes)
        {
            if (box.Size > MaxManifestStoreBytes)
            {
                statuses.Add(new ValidationStatus(ValidationCodes.ManifestInaccessible, null, $"C2PA box of {box.Size} bytes exceeds the {MaxManifestStoreBytes}-byte limit"));
                return Invalid(statuses);
            }
            var bytes = new byte[box.Size];
            stream.Position = box.Offset;
            await stream.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
            C2paBoxContent content;
            try
            {
                content = C2paBmffBox.Parse(bytes);
            }
            catch (BmffException e)
            {
                statuses.Add(new ValidationStatus(ValidationCodes.ManifestInaccessible, null, $"C2PA box unreadable: {e.Message}"));
                return Invalid(statuses);
            }
            if (content.Purpose == C2paBmffBox.ManifestPurpose) stores.Add(content.Data.ToArray());
        }
        if (stores.Count != 1)
        {
            statuses.Add(new ValidationStatus(ValidationCodes.ManifestInaccessible, null,
                stores.Count == 0 ? "C2PA box without a manifest store" : "more than one C2PA manifest store box"));
            return Invalid(statuses);
        }

        JumbfSuperBox root;
        byte[] store = stores[0];
        try
        {
            root = JumbfReader.Read(store);
        }
        catch (JumbfException e)
        {
            statuses.Add(new ValidationStatus(ValidationCodes.ManifestInaccessible, null, $"manifest store unreadable: {e.Message}"));
            return Invalid(statuses);
        }
        if (root.TypeId != JumbfTypes.ManifestStore || root.Label != C2paLabels.ManifestStore)
        {
            statuses.Add(new ValidationStatus(ValidationCodes.ManifestInaccessible, null, "the C2PA box does not hold a manifest store"));
            return Invalid(statuses);
        }
        var manifests = root.SuperBoxes.Where(IsManifest).ToList();
        if (manifests.Count == 0)
        {
            statuses.Add(new ValidationStatus(ValidationCodes.ClaimMissing, null, "the manifest store has no manifest"));
            return Invalid(statuses);
        }

        var context = new StoreContext(store, root, stream, boxes, trust);
        ManifestView? view;
        try
        {
            view = await ValidateManifestAsync(context, manifests[^1], statuses, isActive: true, cancellationToken).ConfigureAwait(false);
        }
        catch (EndOfStreamException e)
        {
            statuses.Add(new ValidationStatus(ValidationCodes.GeneralError, null, $"file truncated: {e.Message}"));
            view = null;
        }
        catch (Exception e) when (e is CborException or JumbfException or Formats.Cose.CoseException or System.Security.Cryptography.CryptographicException or BmffException)
        {
            // Every parser layer reports its own problems as statuses; this keeps an unforeseen one a status too.
            statuses.Add(new ValidationStatus(ValidationCodes.GeneralError, null, $"manifest could not be validated: {e.Message}"));
            view = null;
        }
        return new C2paValidationResult(C2paValidationResult.StateOf(statuses), statuses, view);
    }

    private static async Task<long> FtypEndAsync(Stream stream, CancellationToken cancellationToken)
    {
        if (stream.Length < 8) return -1;
        var header = new byte[8];
        stream.Position = 0;
        await stream.ReadExactlyAsync(header, cancellationToken).ConfigureAwait(false);
        return header.AsSpan(4, 4).SequenceEqual("ftyp"u8) ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(header) : -1;
    }

    private static async Task<bool> StartsC2paBoxAsync(Stream stream, long offset, CancellationToken cancellationToken)
    {
        if (offset < 0 || stream.Length - offset < 24) return false;
        var header = new byte[24];
        stream.Position = offset;
        await stream.ReadExactlyAsync(header, cancellationToken).ConfigureAwait(false);
        return header.AsSpan(4, 4).SequenceEqual("uuid"u8) && header.AsSpan(8, 16).SequenceEqual(C2paLabels.BmffUuid);
    }

    private static C2paValidationResult Invalid(List<ValidationStatus> statuses) => new(C2paState.Invalid, statuses, null);

    private static bool IsManifest(JumbfSuperBox box) => box.TypeId == JumbfTypes.StandardManifest || box.TypeId == JumbfTypes.UpdateManifest;

    /// <summary>Everything a manifest's validation needs from the file and its store.</summary>
    private sealed record StoreContext(byte[] Store, JumbfSuperBox Root, Stream File, IReadOnlyList<BmffBoxHeader> Boxes, TrustList Trust)
    {
        public static ReadOnlySpan<byte> Contents(JumbfSuperBox box) => box.ContentsForHashing().Span;

        /// <summary>Resolves a JUMBF URI (absolute <c>self#jumbf=/c2pa/...</c> or relative to <paramref name="manifest"/>); null when missing or ambiguous.</summary>
        public JumbfSuperBox? Resolve(string uri, JumbfSuperBox manifest)
        {
            const string prefix = "self#jumbf=";
            if (!uri.StartsWith(prefix, StringComparison.Ordinal)) return null;
            var path = uri[prefix.Length..];
            try
            {
                if (!path.StartsWith('/')) return manifest.FindPath(path);
                var parts = path.Split('/', 2, StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length == 0 || parts[0] != C2paLabels.ManifestStore) return null;
                return parts.Length == 1 ? Root : Root.FindPath(parts[1]);
            }
            catch (JumbfException)
            {
                return null;
            }
        }

        /// <summary>The CBOR content of a superbox (its first <c>cbor</c> box), or null when it has none.</summary>
        public static CborValue? CborContent(JumbfSuperBox box, out byte[]? raw)
        {
            raw = box.ContentBoxes.FirstOrDefault(c => c.Type == JumbfBoxTypes.Cbor)?.Payload;
            return raw is null ? null : CborValue.Decode(raw);
        }
    }
}
