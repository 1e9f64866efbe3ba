using Provenance.Formats.Cbor;
using Provenance.Signer.C2pa;
using Provenance.Signer.Certificates;
using Provenance.Signer.Embedding;
using Provenance.Formats.Jumbf;
using Provenance.Signer.Interim;

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
        var boxes = new List<BmffBox>();
        string? structureError = null;
        try
        {
            await BmffBoxes.ReadTopLevelAsync(stream, boxes, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is BmffFormatException or EndOfStreamException)
        {
            structureError = e.Message;
        }

        var c2paBoxes = boxes.Where(Mp4Embedder.IsC2paBox).ToList();
        if (c2paBoxes.Count == 0) return new C2paValidationResult(C2paState.Absent, statuses, null);
        if (structureError is not null)
            statuses.Add(new ValidationStatus(ValidationCodes.GeneralError, null, $"the file's box structure is broken: {structureError}"));

        var stores = new List<(BmffBox Box, byte[] Store)>();
        foreach (var box in c2paBoxes)
        {
            if (box.Size - box.HeaderLength > MaxManifestStoreBytes)
            {
                statuses.Add(new ValidationStatus(ValidationCodes.ManifestInaccessible, null, $"C2PA box of {box.Size} bytes exceeds the {MaxManifestStoreBytes}-byte limit"));
                return Invalid(statuses);
            }
            var payload = new byte[box.Size - box.HeaderLength];
            stream.Position = box.Offset + box.HeaderLength;
            await stream.ReadExactlyAsync(payload, cancellationToken).ConfigureAwait(false);
            var parsed = C2paUuidBox.ParsePayload(payload);
            if (parsed is null)
            {
                statuses.Add(new ValidationStatus(ValidationCodes.ManifestInaccessible, null, "C2PA box header is malformed"));
                return Invalid(statuses);
            }
            if (parsed.Value.Purpose == "manifest") stores.Add((box, payload[parsed.Value.StoreOffset..]));
        }
        if (stores.Count != 1)
        {
            statuses.Add(new ValidationStatus(ValidationCodes.ManifestInaccessible, null,
                stores.Count == 0 ? "C2PA box without a manifest store" : "more than one C2PA manifest store box"));
            return Invalid(statuses);
        }

        JumbfSuperBox root;
        byte[] store = stores[0].Store;
        try
        {
            root = ParseStore(store);
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
        return new C2paValidationResult(C2paValidationResult.StateOf(statuses), statuses, view);
    }

    private static C2paValidationResult Invalid(List<ValidationStatus> statuses) => new(C2paState.Invalid, statuses, null);

    private static bool IsManifest(JumbfSuperBox box) => box.TypeId == JumbfTypes.StandardManifest || box.TypeId == JumbfTypes.UpdateManifest;

    // The store may be followed by zero padding inside the uuid box, nothing else.
    private static JumbfSuperBox ParseStore(byte[] payload)
    {
        if (payload.Length < 8) throw new JumbfException("manifest store too short", 0);
        long size = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(payload);
        if (size < 8 || size > payload.Length) throw new JumbfException("manifest store size out of range", 0);
        if (payload.AsSpan((int)size).IndexOfAnyExcept((byte)0) >= 0) throw new JumbfException("non-zero bytes after the manifest store", size);
        return JumbfReader.Read(payload.AsMemory(0, (int)size));
    }

    /// <summary>Everything a manifest's validation needs from the file and its store.</summary>
    private sealed record StoreContext(byte[] Store, JumbfSuperBox Root, Stream File, IReadOnlyList<BmffBox> Boxes, TrustList Trust)
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
