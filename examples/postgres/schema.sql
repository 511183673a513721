-- The example's tables, applied by server.mjs at start (or by your migration tool). The
-- advisory lock makes processes that start together apply it one at a time: CREATE TABLE IF
-- NOT EXISTS alone can fail in one of them on pg_type's unique index.
BEGIN;
SELECT pg_advisory_xact_lock(8412730915);

-- postgresStore's table (it would create it on first use; here so that migrations own it).
CREATE TABLE IF NOT EXISTS payhook_dedup (
  key text PRIMARY KEY,
  state text NOT NULL CHECK (state IN ('claimed', 'done')),
  token text,
  expires_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS payhook_dedup_expires_at ON payhook_dedup (expires_at);

-- One row per R2 event about a financing (financing_created, financing_paused, …).
CREATE TABLE IF NOT EXISTS r2_financings (
  dedup_key text PRIMARY KEY,
  financing_id text NOT NULL,
  event_type text NOT NULL,
  status text,
  disbursed_amount numeric,
  event_time timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);

-- One row per Belvo PAYMENT_INTENTS webhook.
CREATE TABLE IF NOT EXISTS belvo_payment_intents (
  dedup_key text PRIMARY KEY,
  payment_intent_id text NOT NULL,
  webhook_code text NOT NULL,
  status text,
  failure_code text,
  received_at timestamptz NOT NULL DEFAULT now()
);
COMMIT;
