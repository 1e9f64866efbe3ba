-- Lookups are written by the lookup indexer after entries commit, not inside the sequencer's batch: the
-- acknowledgement waits only for the log itself. The indexer's high-water mark moves in the same transaction as
-- the lookup rows it covers; readers scan the entries past it, so a lookup never misses a committed entry.
CREATE TABLE ledger_lookup_progress (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    next_idx  bigint  NOT NULL CHECK (next_idx >= 0)
);
-- Logs written before this migration indexed every entry in its own batch.
INSERT INTO ledger_lookup_progress (next_idx) SELECT coalesce(max(idx) + 1, 0) FROM ledger_lookup;
CREATE TRIGGER ledger_lookup_progress_no_delete BEFORE DELETE ON ledger_lookup_progress
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
-- Only the indexer inserts here now, in large batches: GIN's pending list turns its inserts into bulk merges, and
-- a merge delays the indexer, not an acknowledgement.
ALTER INDEX ledger_lookup_fingerprint_bands SET (fastupdate = on, gin_pending_list_limit = 16384);
