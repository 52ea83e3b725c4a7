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
  `
  -- The move journal: one row per file move, written before the filesystem changes and finished after, so that a
  -- crash can be resolved and every move undone. Rows record the state of the file, not only the operation.
  CREATE TABLE moves (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    batch       TEXT NOT NULL,               -- moves made together: one sort run, one assignment, one undo
    kind        TEXT NOT NULL CHECK (kind IN ('sort', 'assign', 'undo')),
    state       TEXT NOT NULL DEFAULT 'planned'
                CHECK (state IN ('planned', 'done', 'failed', 'rolled-back', 'undone')),
    source      TEXT NOT NULL,               -- library-relative, forward slashes
    destination TEXT NOT NULL,               -- the name claimed in the destination folder
    method      TEXT NOT NULL DEFAULT 'link' CHECK (method IN ('link', 'copy', 'copy-direct')),
    temporary   TEXT,                        -- library-relative temporary copy while copying across devices
    sha256      TEXT NOT NULL,               -- the content moved
    size        INTEGER NOT NULL,
    mtime_ms    REAL NOT NULL,
    source_file TEXT NOT NULL,               -- "dev:ino" of the source when planned
    copy_file   TEXT,                        -- "dev:ino" of our copy, once it exists
    undoes      INTEGER REFERENCES moves (id),
    undone_by   INTEGER REFERENCES moves (id),
    error       TEXT,
    planned_at  INTEGER NOT NULL,
    finished_at INTEGER
  );
  CREATE INDEX moves_by_state ON moves (state);
  CREATE INDEX moves_by_batch ON moves (batch);
  `,
  `
  -- Inbox images waiting for a person (unsure, or put back by an undo), until sorted, assigned or changed.
  CREATE TABLE review (
    path       TEXT PRIMARY KEY,  -- library-relative, in Images/
    sha256     TEXT NOT NULL,
    size       INTEGER NOT NULL,
    mtime_ms   REAL NOT NULL,
    reason     TEXT NOT NULL CHECK (reason IN ('unsure', 'undone')),
    best       TEXT,              -- the best class, its score and lead over the runner-up (unsure only)
    score      REAL,
    margin     REAL,
    top        TEXT NOT NULL,     -- JSON: the best classes with their scores
    created_at INTEGER NOT NULL
  );
  `,
  `
  -- The private name a move's source has while it is checked and removed (see removeByIdentity.ts).
  ALTER TABLE moves ADD COLUMN parked TEXT;
  `,
  `
  -- Which revision of the image reader recorded a file's error: a newer reader tries the file again.
  ALTER TABLE files ADD COLUMN error_revision INTEGER;
  `,
  `
  -- Folders a batch of moves created, which undoing the batch removes once they are empty again.
  CREATE TABLE created_folders (
    batch  TEXT NOT NULL,
    folder TEXT NOT NULL,   -- library-relative
    PRIMARY KEY (batch, folder)
  );
  -- Where a batch of assignments was made (the map, search, a cluster), for the history to name it.
  CREATE TABLE batch_origins (
    batch  TEXT PRIMARY KEY,
    origin TEXT NOT NULL
  );
  `,
  `
  -- Moves of files that go together (a photo, its RAW, its Live Photo video, its sidecars) share a group id: the
  -- group is recovered and undone as one.
  ALTER TABLE moves ADD COLUMN move_group TEXT;
  CREATE INDEX moves_by_group ON moves (move_group);
  `,
  `
  -- What people said about images, the evidence decisions are calibrated on: the class they filed an image in
  -- (accepting or correcting a suggestion, or on their own), or the class an automatic move was wrong about (they
  -- undid it). Undoing the moves that carried a label out takes the label back.
  CREATE TABLE labels (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    sha256     TEXT NOT NULL,
    class      TEXT NOT NULL,
    correct    INTEGER NOT NULL CHECK (correct IN (0, 1)),  -- 1: the image is of the class; 0: it is not
    source     TEXT NOT NULL CHECK (source IN ('accepted', 'corrected', 'assigned', 'undone')),
    suggested  TEXT,               -- the class sorting suggested, when it had suggested one
    model      TEXT,               -- the model and mode that scored the image then, and its score, when known
    mode       TEXT,
    score      REAL,
    batch      TEXT NOT NULL,      -- the moves that carried it out
    created_at INTEGER NOT NULL
  );
  CREATE INDEX labels_by_sha256 ON labels (sha256);
  CREATE INDEX labels_by_batch ON labels (batch);
  -- The model and mode that made a review item's suggestion, which a person's decision on it is kept with.
  ALTER TABLE review ADD COLUMN model TEXT;
  ALTER TABLE review ADD COLUMN mode TEXT;
  `,
];
