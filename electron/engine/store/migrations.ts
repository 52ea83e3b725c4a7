/**
 * The library schema, one entry per version; entry N brings the schema from version N to N+1. Never edit an
 * entry that has shipped: add one.
 */
export const MIGRATIONS: readonly string[] = [
  `
  -- Files seen under the library, by library-relative path (forward slashes).
  CREATE TABLE files (
    path       TEXT PRIMARY KEY,
    size       INTEGER NOT NULL,
    mtime_ms   REAL NOT NULL,
    sha256     TEXT,              -- null when the file could not be read
    error_code TEXT,              -- why the file could not be used, until it changes
    error      TEXT,
    seen_at    INTEGER NOT NULL
  );
  CREATE INDEX files_by_sha256 ON files (sha256);

  -- One embedding per content and model: identical files and moved files share it.
  CREATE TABLE embeddings (
    sha256     TEXT NOT NULL,
    model      TEXT NOT NULL,
    vector     BLOB NOT NULL,     -- little-endian float32, L2-normalised
    created_at INTEGER NOT NULL,
    PRIMARY KEY (sha256, model)
  ) WITHOUT ROWID;

  CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  `,
];
