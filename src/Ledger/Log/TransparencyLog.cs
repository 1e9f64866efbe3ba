using Npgsql;
using Provenance.Ledger.Notes;

namespace Provenance.Ledger.Log;

/// <summary>
/// The writing side of the ledger in one object: the sequencer, the checkpoint publisher, the lookup indexer (which
/// fills the lookup table behind the sequencer, off the acknowledgement path) and a reader. One per log
/// (the sequencer is fenced: a second writer's stale batches are refused). <see cref="AppendAsync"/> is what the
/// stamping pipeline calls: it returns a receipt that verifies offline with the log's public keys.
/// </summary>
public sealed class TransparencyLog : IAsyncDisposable
{
    private readonly LedgerSequencer _sequencer;
    private readonly CheckpointPublisher _publisher;

    private TransparencyLog(LedgerSequencer sequencer, CheckpointPublisher publisher, LedgerLookupIndexer indexer, LedgerReader reader, CheckpointKeys keys)
    {
        _sequencer = sequencer;
        _publisher = publisher;
        LookupIndexer = indexer;
        Reader = reader;
        Keys = keys;
    }

    public LedgerReader Reader { get; }
    public LedgerLookupIndexer LookupIndexer { get; }
    public CheckpointKeys Keys { get; }
    public string Origin => Reader.Origin;
    public TreeHead Committed => _sequencer.Committed;
    public long BatchesCommitted => _sequencer.BatchesCommitted;
    public SignedCheckpoint? LatestCheckpoint => _publisher.Latest;

    /// <summary>Starts the sequencer (loading and checking the tree state), the checkpoint publisher and the lookup indexer.</summary>
    /// <exception cref="LedgerIntegrityException">the stored tree does not agree with itself.</exception>
    public static async Task<TransparencyLog> OpenAsync(NpgsqlDataSource dataSource, LedgerOptions options, CheckpointKeys keys, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(keys);
        var sequencer = await LedgerSequencer.StartAsync(dataSource, options, ct).ConfigureAwait(false);
        try
        {
            var publisher = await CheckpointPublisher.StartAsync(dataSource, options.Origin, keys.Signers, () => sequencer.Committed,
                options.CheckpointInterval, ct).ConfigureAwait(false);
            var indexer = LedgerLookupIndexer.Start(dataSource, options.LookupIndexChunkSize, options.LookupIndexPollInterval, options.LookupIndexGatherDelay);
            sequencer.EntriesCommitted += indexer.Offer;
            return new TransparencyLog(sequencer, publisher, indexer, new LedgerReader(dataSource, options.Origin), keys);
        }
        catch
        {
            await sequencer.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Appends and returns once the batch committed (no checkpoint wait).</summary>
    public Task<SequencedEntry> SequenceAsync(LedgerEntry entry, CancellationToken ct) => _sequencer.SequenceAsync(entry, ct);

    /// <summary>Appends, waits for the next checkpoint that covers the entry (about a second), and returns the receipt.</summary>
    /// <exception cref="DuplicateEntryException">the manifest is already logged (<see cref="DuplicateEntryException.ExistingIndex"/>).</exception>
    /// <exception cref="LedgerWriteException">the entry could not be written.</exception>
    public async Task<LedgerReceipt> AppendAsync(LedgerEntry entry, CancellationToken ct)
    {
        SequencedEntry sequenced;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                sequenced = await _sequencer.SequenceAsync(entry, ct).ConfigureAwait(false);
                break;
            }
            catch (SequencerFencedException) when (attempt < 3)
            {
                // Another process wrote the log; nothing of ours was written and the state is reloaded: try again.
            }
        }
        var checkpoint = await _publisher.WaitForSizeAsync(sequenced.Index + 1, ct).ConfigureAwait(false);
        var proof = await Reader.GetInclusionProofAsync(sequenced.Index, checkpoint.Checkpoint.Size, ct).ConfigureAwait(false);
        return new LedgerReceipt(sequenced.Index, sequenced.Data, proof, checkpoint.Note);
    }

    public async ValueTask DisposeAsync()
    {
        await _sequencer.DisposeAsync().ConfigureAwait(false);
        await _publisher.DisposeAsync().ConfigureAwait(false);
        await LookupIndexer.DisposeAsync().ConfigureAwait(false);
    }
}
