/**
 * Numbered schema steps; index i upgrades user_version i → i+1. Never edit a step that has shipped:
 * append a new one.
 */
export const MIGRATIONS: readonly string[] = [
  `
  -- One migration: an old account copied into a new one.
  CREATE TABLE sync_pair (
    id INTEGER PRIMARY KEY,
    source_key TEXT NOT NULL,
    target_key TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (source_key, target_key)
  );

  -- One source folder and where it goes. The seen_* columns are a snapshot of the source folder
  -- taken when a pass over it finished cleanly: if STATUS still shows the same values, nothing changed.
  CREATE TABLE folder_pair (
    id INTEGER PRIMARY KEY,
    pair_id INTEGER NOT NULL REFERENCES sync_pair(id),
    source_path TEXT NOT NULL,
    target_path TEXT NOT NULL,
    source_uidvalidity INTEGER,
    target_uidvalidity INTEGER,
    seen_uidnext INTEGER,
    seen_modseq TEXT,
    seen_messages INTEGER,
    target_seen_uidnext INTEGER,
    clean INTEGER NOT NULL DEFAULT 0,
    UNIQUE (pair_id, source_path)
  );

  -- The message map. state: pending = intent recorded, APPEND may or may not have happened;
  -- done = on the target (copied or found there); failed = the target refused it (retried next run);
  -- skipped = larger than the size limit the user set (re-checked when the limit changes).
  CREATE TABLE message (
    folder_id INTEGER NOT NULL REFERENCES folder_pair(id),
    source_uid INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'done', 'failed', 'skipped')),
    fingerprint TEXT NOT NULL,
    message_id TEXT,
    size INTEGER NOT NULL,
    internal_date INTEGER,
    flags TEXT NOT NULL,
    target_uid INTEGER,
    reason TEXT,
    subject TEXT,
    PRIMARY KEY (folder_id, source_uid)
  ) WITHOUT ROWID;
  CREATE INDEX message_state ON message (folder_id, state);
  `,
  `
  -- Contacts and events Cutover created in a Microsoft 365 mailbox. pending = the POST may or may
  -- not have happened (resolved by looking the item up by its extended property before re-sending).
  CREATE TABLE pim_item (
    mailbox TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('contact', 'event')),
    source_key TEXT NOT NULL,
    container_id TEXT NOT NULL,
    graph_id TEXT,
    content_hash TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'done')),
    PRIMARY KEY (mailbox, kind, source_key)
  ) WITHOUT ROWID;
  `,
  `
  -- What makes an event's create key (Graph transactionId) unique, kept with the create intent so a
  -- resend of the same intent reuses it. NULL: the key's first create in this calendar (the id then
  -- comes from calendar and key alone, the same on every computer); a random value once an earlier
  -- create of this key was deleted (undo), since Exchange refuses a used transactionId for good.
  ALTER TABLE pim_item ADD COLUMN create_nonce TEXT;
  `,
];
