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
  -- One writer per mailbox pair, across processes (pair-lease.ts): taken atomically, kept alive by a
  -- heartbeat, taken over when its process is gone or its heartbeat is old.
  CREATE TABLE pair_lease (
    pair_id INTEGER PRIMARY KEY REFERENCES sync_pair(id),
    token TEXT NOT NULL,
    pid INTEGER NOT NULL,
    purpose TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    heartbeat_at INTEGER NOT NULL
  );

  -- Every message Cutover appended, by its target UID (known from APPENDUID): the only messages
  -- "remove the extra copies Cutover made" may ever touch.
  CREATE TABLE target_copy (
    pair_id INTEGER NOT NULL REFERENCES sync_pair(id),
    target_path TEXT NOT NULL,
    target_uidvalidity INTEGER NOT NULL,
    target_uid INTEGER NOT NULL,
    source_path TEXT NOT NULL,
    source_uid INTEGER NOT NULL,
    fingerprint TEXT NOT NULL,
    copied_at INTEGER NOT NULL,
    PRIMARY KEY (pair_id, target_path, target_uidvalidity, target_uid)
  ) WITHOUT ROWID;

  -- The folder rules chosen for the pair (JSON, source paths as the old server names them) and the
  -- mapping the last copy used (JSON FolderMapping[]): compare goes through them.
  ALTER TABLE sync_pair ADD COLUMN rules TEXT;
  ALTER TABLE sync_pair ADD COLUMN mapping TEXT;
  -- The last run: when it started and ended, what it copied, whether it was paused (JSON).
  ALTER TABLE sync_pair ADD COLUMN last_run TEXT;

  -- The plan made before the first APPEND: the source folder's messages and bytes.
  ALTER TABLE folder_pair ADD COLUMN plan_messages INTEGER;
  ALTER TABLE folder_pair ADD COLUMN plan_bytes INTEGER;
  -- With the snapshot of a clean pass: bytes of the source folder, and how many of its messages
  -- were on the target, so an unchanged folder is planned without opening it.
  ALTER TABLE folder_pair ADD COLUMN seen_bytes INTEGER;
  ALTER TABLE folder_pair ADD COLUMN seen_done INTEGER;
  `,
  `
  -- What makes an event's create key (Graph transactionId) unique, kept with the create intent so a
  -- resend of the same intent reuses it. NULL: the key's first create in this calendar (the id then
  -- comes from calendar and key alone, the same on every computer); a random value once an earlier
  -- create of this key was deleted (undo), since Exchange refuses a used transactionId for good.
  ALTER TABLE pim_item ADD COLUMN create_nonce TEXT;
  `,
  `
  -- Keep in step (issue 14): one row per watched pair. logged_until: every target_copy row copied
  -- after it is not in watch_copy yet (collected after each pass; a kill only delays it). The switch
  -- time, the old MX's TTL seen before it, and the last comparison decide "safe to close".
  CREATE TABLE watch_pair (
    pair_id INTEGER PRIMARY KEY REFERENCES sync_pair(id),
    logged_until INTEGER NOT NULL,
    last_checked_at INTEGER,
    switch_seen_at INTEGER,
    old_mx_ttl INTEGER,
    compare_at INTEGER,
    compare_missing INTEGER,
    state TEXT,
    last_error TEXT
  );

  -- Every message a watch copied (by its target copy, so collecting twice adds nothing); late = it
  -- was copied after the MX switch was seen: it reached the old server too late.
  CREATE TABLE watch_copy (
    pair_id INTEGER NOT NULL REFERENCES sync_pair(id),
    target_path TEXT NOT NULL,
    target_uidvalidity INTEGER NOT NULL,
    target_uid INTEGER NOT NULL,
    source_path TEXT NOT NULL,
    source_uid INTEGER NOT NULL,
    subject TEXT NOT NULL,
    sender TEXT NOT NULL,
    received_at INTEGER,
    copied_at INTEGER NOT NULL,
    logged_at INTEGER NOT NULL,
    late INTEGER NOT NULL,
    PRIMARY KEY (pair_id, target_path, target_uidvalidity, target_uid)
  ) WITHOUT ROWID;
  CREATE INDEX watch_copy_late ON watch_copy (pair_id, late, logged_at);
  `,
];
