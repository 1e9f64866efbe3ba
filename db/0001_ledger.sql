-- The transparency log (RFC 9162 Merkle tree, tlog-tiles layout) and its lookups.
-- Entries and checkpoints are append-only, tiles only grow, the tree state only moves forward.
-- One log per database; one sequencer writes it, fenced on the locked tree-state row.

-- Log entries: index in the tree and the exact leaf bytes (the Merkle leaf is SHA-256(0x00 || data)).
CREATE TABLE ledger_entries (
    idx           bigint PRIMARY KEY CHECK (idx >= 0),
    manifest_hash bytea  NOT NULL CHECK (length(manifest_hash) = 32),
    data          bytea  NOT NULL
);
-- One entry per C2PA manifest.
CREATE UNIQUE INDEX ledger_entries_manifest_hash ON ledger_entries (manifest_hash);

-- Tiles of the Merkle tree as in C2SP tlog-tiles: level L tile N holds up to 256 hashes (32 bytes each) of the
-- complete subtrees of height 8L, numbered from 256N. A partial tile grows as the tree grows.
CREATE TABLE ledger_tiles (
    level  smallint NOT NULL CHECK (level >= 0 AND level < 8),
    idx    bigint   NOT NULL CHECK (idx >= 0),
    hashes bytea    NOT NULL CHECK (length(hashes) BETWEEN 32 AND 8192 AND length(hashes) % 32 = 0),
    PRIMARY KEY (level, idx)
);
-- Hashes are random bytes: do not try to compress them.
ALTER TABLE ledger_tiles ALTER COLUMN hashes SET STORAGE EXTERNAL;

-- The tree the sequencer has committed: one row, locked FOR UPDATE by every batch.
CREATE TABLE ledger_tree_state (
    singleton  boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    tree_size  bigint      NOT NULL CHECK (tree_size >= 0),
    root_hash  bytea       NOT NULL CHECK (length(root_hash) = 32),
    updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO ledger_tree_state (tree_size, root_hash) VALUES (0, sha256(''::bytea));

-- Signed checkpoints (C2SP signed notes), about one a second while the tree grows.
CREATE TABLE ledger_checkpoints (
    tree_size  bigint      PRIMARY KEY CHECK (tree_size >= 0),
    root_hash  bytea       NOT NULL CHECK (length(root_hash) = 32),
    note       text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Lookups, kept apart from the log: rebuildable from the entries, never part of the Merkle tree.
CREATE TABLE ledger_lookup (
    idx               bigint    PRIMARY KEY,
    asset_id          bigint    NOT NULL,
    watermark_payload bigint    NOT NULL,
    -- 64-bit perceptual fingerprints, and their 16-bit bands as (band << 16 | value) for multi-index hashing.
    fingerprints      bigint[]  NOT NULL DEFAULT '{}',
    fingerprint_bands integer[] NOT NULL DEFAULT '{}'
);
CREATE INDEX ledger_lookup_asset_id ON ledger_lookup (asset_id);
CREATE INDEX ledger_lookup_watermark_payload ON ledger_lookup (watermark_payload);
CREATE INDEX ledger_lookup_fingerprint_bands ON ledger_lookup USING gin (fingerprint_bands);

-- History cannot be rewritten.
CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ledger: % on % is not allowed (append-only)', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END
$$;

CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_checkpoints_append_only BEFORE UPDATE OR DELETE ON ledger_checkpoints
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_checkpoints_no_truncate BEFORE TRUNCATE ON ledger_checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_tiles_no_delete BEFORE DELETE ON ledger_tiles
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_tiles_no_truncate BEFORE TRUNCATE ON ledger_tiles
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_tree_state_no_delete BEFORE DELETE ON ledger_tree_state
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();

-- A tile may only grow: same place, and the old hashes are a prefix of the new ones.
CREATE FUNCTION ledger_tile_grows_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.level <> OLD.level OR NEW.idx <> OLD.idx
       OR length(NEW.hashes) < length(OLD.hashes)
       OR substring(NEW.hashes FROM 1 FOR length(OLD.hashes)) <> OLD.hashes THEN
        RAISE EXCEPTION 'ledger: tile %/% may only grow', OLD.level, OLD.idx
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER ledger_tiles_grow_only BEFORE UPDATE ON ledger_tiles
    FOR EACH ROW EXECUTE FUNCTION ledger_tile_grows_only();

-- The tree only moves forward.
CREATE FUNCTION ledger_tree_grows_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.tree_size < OLD.tree_size OR (NEW.tree_size = OLD.tree_size AND NEW.root_hash <> OLD.root_hash) THEN
        RAISE EXCEPTION 'ledger: the tree cannot shrink or change at size % (to % )', OLD.tree_size, NEW.tree_size
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER ledger_tree_state_grows_only BEFORE UPDATE ON ledger_tree_state
    FOR EACH ROW EXECUTE FUNCTION ledger_tree_grows_only();
