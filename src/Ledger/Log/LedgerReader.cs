using Npgsql;
using Provenance.Ledger.Merkle;
using Provenance.Ledger.Notes;

namespace Provenance.Ledger.Log;

/// <summary>A published checkpoint: the parsed body and the signed note as served.</summary>
public sealed record SignedCheckpoint(Checkpoint Checkpoint, string Note);

/// <summary>
/// Read side of the log (any number of processes): checkpoints, entries, inclusion and consistency proofs, tiles
/// and entry bundles as tlog-tiles serves them, and the lookups (LedgerReader.Lookups.cs).
/// </summary>
public sealed partial class LedgerReader(NpgsqlDataSource dataSource, string origin)
{
    private readonly TileStore _tiles = new(dataSource);

    public string Origin { get; } = origin;
    public NpgsqlDataSource DataSource { get; } = dataSource;

    /// <summary>The newest published checkpoint, or null when none was published yet.</summary>
    public async Task<SignedCheckpoint?> GetLatestCheckpointAsync(CancellationToken ct)
    {
        await using var command = DataSource.CreateCommand("SELECT note FROM ledger_checkpoints ORDER BY tree_size DESC LIMIT 1");
        return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is string note ? Parse(note) : null;
    }

    /// <summary>The published checkpoint of exactly <paramref name="treeSize"/>, or null.</summary>
    public async Task<SignedCheckpoint?> GetCheckpointAsync(long treeSize, CancellationToken ct)
    {
        await using var command = DataSource.CreateCommand("SELECT note FROM ledger_checkpoints WHERE tree_size = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = treeSize });
        return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is string note ? Parse(note) : null;
    }

    private static SignedCheckpoint Parse(string note) => new(Checkpoint.ParseText(SignedNote.Parse(note).Text), note);

    /// <summary>The committed tree size (may be ahead of the latest checkpoint).</summary>
    public async Task<TreeHead> GetTreeHeadAsync(CancellationToken ct)
    {
        await using var command = DataSource.CreateCommand("SELECT tree_size, root_hash FROM ledger_tree_state");
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await reader.ReadAsync(ct).ConfigureAwait(false)) throw new LedgerIntegrityException("the tree state row is missing");
        return new TreeHead(reader.GetInt64(0), reader.GetFieldValue<byte[]>(1));
    }

    public async Task<LoggedEntry?> GetEntryAsync(long index, CancellationToken ct)
    {
        await using var command = DataSource.CreateCommand("SELECT data FROM ledger_entries WHERE idx = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = index });
        return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is byte[] data ? Decode(index, data) : null;
    }

    internal static LoggedEntry Decode(long index, byte[] data)
    {
        var (entry, time) = LedgerEntryCodec.Decode(data);
        return new LoggedEntry(index, entry, time, data);
    }

    /// <summary>Inclusion proof of <paramref name="index"/> in the tree of <paramref name="treeSize"/> leaves.</summary>
    /// <exception cref="MerkleProofException">index or size out of range, or tiles missing.</exception>
    public async Task<IReadOnlyList<byte[]>> GetInclusionProofAsync(long index, long treeSize, CancellationToken ct)
    {
        await EnsureWithinTreeAsync(treeSize, ct).ConfigureAwait(false);
        return await TileHashReader.HashRangesAsync(MerkleProof.InclusionRanges(index, treeSize), _tiles.FetchAsync, ct).ConfigureAwait(false);
    }

    /// <summary>Consistency proof from <paramref name="size1"/> to <paramref name="size2"/>.</summary>
    public async Task<IReadOnlyList<byte[]>> GetConsistencyProofAsync(long size1, long size2, CancellationToken ct)
    {
        await EnsureWithinTreeAsync(size2, ct).ConfigureAwait(false);
        return await TileHashReader.HashRangesAsync(MerkleProof.ConsistencyRanges(size1, size2), _tiles.FetchAsync, ct).ConfigureAwait(false);
    }

    /// <summary>The root hash of the tree of <paramref name="treeSize"/> leaves, computed from tiles.</summary>
    public async Task<byte[]> GetRootAsync(long treeSize, CancellationToken ct)
    {
        if (treeSize == 0) return MerkleHash.EmptyRoot();
        await EnsureWithinTreeAsync(treeSize, ct).ConfigureAwait(false);
        return (await TileHashReader.HashRangesAsync([new LeafRange(0, treeSize)], _tiles.FetchAsync, ct).ConfigureAwait(false))[0];
    }

    /// <summary>A receipt for the entry at <paramref name="index"/> against the latest checkpoint that covers it; null when
    /// the entry does not exist or no published checkpoint covers it yet.</summary>
    public async Task<LedgerReceipt?> GetReceiptAsync(long index, CancellationToken ct)
    {
        var checkpoint = await GetLatestCheckpointAsync(ct).ConfigureAwait(false);
        if (checkpoint is null || index < 0 || index >= checkpoint.Checkpoint.Size) return null;
        return await GetReceiptAsync(index, checkpoint, ct).ConfigureAwait(false);
    }

    public async Task<LedgerReceipt?> GetReceiptAsync(long index, SignedCheckpoint checkpoint, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (await GetEntryAsync(index, ct).ConfigureAwait(false) is not { } entry) return null;
        var proof = await GetInclusionProofAsync(index, checkpoint.Checkpoint.Size, ct).ConfigureAwait(false);
        return new LedgerReceipt(index, entry.Data, proof, checkpoint.Note);
    }

    /// <summary>The tile at (level, index) cut to <paramref name="width"/> hashes (null: the full tile); null when the
    /// tree does not have that many hashes there yet.</summary>
    public async Task<byte[]?> GetTileAsync(int level, long index, int? width, CancellationToken ct)
    {
        var wanted = width ?? Tile.Width;
        if (level is < 0 or > 7 || index < 0 || wanted is < 1 or > Tile.Width) return null;
        var tiles = await _tiles.FetchAsync([(level, index)], ct).ConfigureAwait(false);
        if (!tiles.TryGetValue((level, index), out var hashes) || hashes.Length < wanted * MerkleHash.Size) return null;
        return hashes.Length == wanted * MerkleHash.Size ? hashes : hashes[..(wanted * MerkleHash.Size)];
    }

    /// <summary>tlog-tiles entry bundle N: entries [256N, 256N + width) each as a big-endian uint16 length and the bytes;
    /// null when the log does not hold them all yet.</summary>
    public async Task<byte[]?> GetEntryBundleAsync(long index, int? width, CancellationToken ct)
    {
        var wanted = width ?? Tile.Width;
        if (index < 0 || wanted is < 1 or > Tile.Width || index > long.MaxValue / Tile.Width - 1) return null;
        var first = index * Tile.Width;
        await using var command = DataSource.CreateCommand("SELECT data FROM ledger_entries WHERE idx >= $1 AND idx < $2 ORDER BY idx");
        command.Parameters.Add(new NpgsqlParameter { Value = first });
        command.Parameters.Add(new NpgsqlParameter { Value = first + wanted });
        using var bundle = new MemoryStream();
        var count = 0;
        await using (var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                var data = reader.GetFieldValue<byte[]>(0);
                bundle.WriteByte((byte)(data.Length >> 8));
                bundle.WriteByte((byte)data.Length);
                bundle.Write(data);
                count++;
            }
        }
        return count == wanted ? bundle.ToArray() : null;
    }

    private long _knownSize;

    /// <summary>Proofs only for trees the log has reached (the tree only grows, so a size seen once stays valid).</summary>
    private async Task EnsureWithinTreeAsync(long treeSize, CancellationToken ct)
    {
        if (treeSize <= Volatile.Read(ref _knownSize)) return;
        var head = await GetTreeHeadAsync(ct).ConfigureAwait(false);
        if (treeSize > head.Size) throw new MerkleProofException($"tree size {treeSize} is beyond the log's size {head.Size}");
        Volatile.Write(ref _knownSize, head.Size);
    }
}
