import type { Db } from './database.js';

/** What the index knows of one file. */
export interface FileRecord {
  path: string;
  size: number;
  mtimeMs: number;
  sha256: string | null;
  errorCode: string | null;
  error: string | null;
  /** The image reader's revision that recorded the error (see `READER_REVISION`). */
  errorRevision?: number | null;
}

interface Row {
  path: string;
  size: number;
  mtime_ms: number;
  sha256: string | null;
  error_code: string | null;
  error: string | null;
  error_revision: number | null;
}

const toRecord = (row: Row): FileRecord => ({
  path: row.path,
  size: row.size,
  mtimeMs: row.mtime_ms,
  sha256: row.sha256,
  errorCode: row.error_code,
  error: row.error,
  errorRevision: row.error_revision,
});

/** The `files` table: path → size, mtime, content hash and the last error. */
export class FileIndex {
  private readonly selectOne;
  private readonly upsert;

  constructor(private readonly db: Db) {
    this.selectOne = db.prepare<[string], Row>('SELECT * FROM files WHERE path = ?');
    this.upsert = db.prepare(
      `INSERT INTO files (path, size, mtime_ms, sha256, error_code, error, error_revision, seen_at)
       VALUES (@path, @size, @mtimeMs, @sha256, @errorCode, @error, @errorRevision, @seenAt)
       ON CONFLICT (path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms,
         sha256 = excluded.sha256, error_code = excluded.error_code, error = excluded.error,
         error_revision = excluded.error_revision, seen_at = excluded.seen_at`,
    );
  }

  get(path: string): FileRecord | undefined {
    const row = this.selectOne.get(path);
    return row && toRecord(row);
  }

  /**
   * The records of many files, by path. One read, in path order: the lookups walk the table's pages in turn
   * instead of jumping between them.
   */
  getMany(paths: readonly string[]): Map<string, FileRecord> {
    const records = new Map<string, FileRecord>();
    this.db.transaction(() => {
      for (const path of [...paths].sort()) {
        const row = this.selectOne.get(path);
        if (row) records.set(path, toRecord(row));
      }
    })();
    return records;
  }

  /** Records a file as it is now (an error of `null` clears an earlier one). */
  put(record: FileRecord): void {
    this.upsert.run({ errorRevision: null, ...record, seenAt: Date.now() });
  }

  /** Files whose last attempt failed, with their messages. */
  errors(): FileRecord[] {
    return this.db
      .prepare<[], Row>('SELECT * FROM files WHERE error_code IS NOT NULL ORDER BY path')
      .all()
      .map(toRecord);
  }
}

/** True when the file on disk still has the size and mtime the record was made from. */
export function isUnchanged(record: FileRecord | undefined, size: number, mtimeMs: number): boolean {
  return record !== undefined && record.size === size && record.mtimeMs === mtimeMs;
}
