-- The service's own tables: API keys, the audit log, and background jobs (scans, generations, stamps).
-- Nothing here holds media or personal data: uploads live on disk for a bounded retention period.

CREATE TABLE api_keys (
    key_id        text PRIMARY KEY,                 -- public part of the key, shown in listings
    secret_sha256 bytea NOT NULL,                   -- SHA-256 of the 256-bit random secret (never stored)
    name          text NOT NULL,
    scopes        text[] NOT NULL CHECK (cardinality(scopes) > 0),
    created_at    timestamptz NOT NULL DEFAULT now(),
    revoked_at    timestamptz,
    replaced_by   text REFERENCES api_keys (key_id),
    last_used_at  timestamptz
);

CREATE TABLE audit_log (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at        timestamptz NOT NULL DEFAULT now(),
    actor     text NOT NULL,                        -- API key id, or 'cli' for operator commands
    action    text NOT NULL,                        -- e.g. scan.create, apikey.revoke
    target    text,
    detail    jsonb
);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

CREATE TABLE jobs (
    id               uuid PRIMARY KEY,
    kind             text NOT NULL CHECK (kind IN ('scan', 'generation', 'stamp')),
    status           text NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'dead', 'cancelled')),
    owner_key_id     text REFERENCES api_keys (key_id),
    input            jsonb NOT NULL,
    result           jsonb,
    error            text,
    progress         real NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 1),
    stage            text,
    attempts         integer NOT NULL DEFAULT 0,
    max_attempts     integer NOT NULL DEFAULT 3,
    run_after        timestamptz NOT NULL DEFAULT now(),
    lease_owner      text,
    lease_until      timestamptz,
    cancel_requested boolean NOT NULL DEFAULT false,
    callback_url     text,
    callback_state   text CHECK (callback_state IN ('pending', 'delivered', 'failed')),
    callback_attempts integer NOT NULL DEFAULT 0,
    callback_after   timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    finished_at      timestamptz,
    media_deleted_at timestamptz
);

-- Workers claim the oldest runnable job: queued and due, or running with an expired lease (its worker died).
CREATE INDEX jobs_runnable ON jobs (run_after) WHERE status = 'queued';
CREATE INDEX jobs_leased ON jobs (lease_until) WHERE status = 'running';
CREATE INDEX jobs_callbacks ON jobs (callback_after) WHERE callback_state = 'pending';
CREATE INDEX jobs_retention ON jobs (finished_at) WHERE media_deleted_at IS NULL AND finished_at IS NOT NULL;
