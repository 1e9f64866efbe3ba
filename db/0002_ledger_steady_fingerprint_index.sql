-- The fingerprint band index takes its inserts directly instead of through GIN's pending list: the list's
-- periodic merge stalled the sequencer's batch that triggered it for seconds (acknowledgement p99).
ALTER INDEX ledger_lookup_fingerprint_bands SET (fastupdate = off);
