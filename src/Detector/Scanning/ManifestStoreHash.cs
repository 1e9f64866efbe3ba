using System.Security.Cryptography;
using Provenance.Formats.Bmff;
using Provenance.Signer.Embedding;
using Provenance.Signer.Verification;

namespace Provenance.Detector.Scanning;

/// <summary>
/// SHA-256 of the C2PA manifest store embedded in an MP4/MOV: the bytes of the store in the top-level C2PA
/// <c>uuid</c> box (purpose <c>manifest</c>, padding left out), the value the stamping pipeline records in the ledger
/// (<see cref="SignedClip.ManifestStoreSha256"/>). Null when the file has no single readable manifest store.
/// </summary>
public static class ManifestStoreHash
{
    public static async Task<byte[]?> ComputeAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
        return await ComputeAsync(stream, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the box layout of a seekable stream; only I/O errors of the stream itself and cancellation escape.</summary>
    public static async Task<byte[]?> ComputeAsync(Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        try
        {
            var boxes = BmffLayout.Read(stream).Boxes.Where(Mp4Embedder.IsC2paBox).ToList();
            byte[]? store = null;
            foreach (var box in boxes)
            {
                if (box.Size > C2paVerifier.MaxManifestStoreBytes)
                {
                    return null;
                }
                var bytes = new byte[box.Size];
                stream.Position = box.Offset;
                await stream.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
                var content = C2paBmffBox.Parse(bytes);
                if (content.Purpose == C2paBmffBox.ManifestPurpose)
                {
                    if (store is not null)
                    {
                        return null; // more than one store: the verifier reports it; nothing to look up
                    }
                    store = content.Data.ToArray();
                }
            }
            return store is null ? null : SHA256.HashData(store);
        }
        catch (Exception e) when (e is BmffException or EndOfStreamException)
        {
            return null;
        }
    }
}
