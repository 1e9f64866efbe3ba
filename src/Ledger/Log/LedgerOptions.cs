namespace Provenance.Ledger.Log;

/// <summary>How the transparency log is named, signed, batched and checkpointed. Configuration section <c>Ledger</c>.</summary>
public sealed class LedgerOptions
{
    /// <summary>The log's identity: checkpoint origin line and note key name (a schema-less URL).</summary>
    public string Origin { get; set; } = "provenance.local/ledger";

    /// <summary>Folder of the checkpoint signing keys (created with 0600 files on first start). Null: the host
    /// chooses, by default <c>ledger-keys</c> beside the embedded database folder.</summary>
    public string? KeyDirectory { get; set; }

    /// <summary>Most entries in one batch (one transaction).</summary>
    public int MaxBatchSize { get; set; } = 1024;

    /// <summary>How long a batch waits for more entries after the first before it is written.</summary>
    public TimeSpan BatchLinger { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>Appends waiting for the sequencer at most (callers wait beyond this).</summary>
    public int QueueCapacity { get; set; } = 65_536;

    /// <summary>How often a new checkpoint is signed and published while the tree grows.</summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Most entries the lookup indexer writes in one transaction.</summary>
    public int LookupIndexChunkSize { get; set; } = 16_384;

    /// <summary>How often the lookup indexer looks for entries it was not told about (written by another process,
    /// or before a restart); after each committed batch of this process it runs at once.</summary>
    public TimeSpan LookupIndexPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long the lookup indexer waits after being told of new entries before its pass, so that a pass
    /// covers several batches (fewer, larger transactions). Lookups do not wait for it.</summary>
    public TimeSpan LookupIndexGatherDelay { get; set; } = TimeSpan.FromMilliseconds(200);
}

/// <summary>A tree size and its root hash.</summary>
public sealed record TreeHead(long Size, byte[] RootHash);

/// <summary>An append acknowledged after its batch committed: the entry's index, leaf hash and integration time.</summary>
public sealed record SequencedEntry(long Index, byte[] LeafHash, DateTimeOffset IntegratedTime, byte[] Data);

/// <summary>The entry's manifest hash is already in the log (at <see cref="ExistingIndex"/> when known).</summary>
public sealed class DuplicateEntryException(long? existingIndex, string message) : Exception(message)
{
    public long? ExistingIndex { get; } = existingIndex;
}

/// <summary>Another sequencer advanced the log since this one last read it: this one's batch was refused (fencing).</summary>
public sealed class SequencerFencedException(string message) : Exception(message);

/// <summary>A batch could not be written. Nothing in it was acknowledged; when <see cref="CommitOutcomeUnknown"/> the
/// connection failed during COMMIT and the entries may be in the log: retrying reports them as duplicates if so.</summary>
public sealed class LedgerWriteException(string message, Exception? inner, bool commitOutcomeUnknown) : Exception(message, inner)
{
    public bool CommitOutcomeUnknown { get; } = commitOutcomeUnknown;
}

/// <summary>The stored log contradicts itself (tiles do not hash to the recorded root): stop writing and audit.</summary>
public sealed class LedgerIntegrityException(string message) : Exception(message);
