/**
 * The one module that imports better-sqlite3: opens a library's database with the settings every caller relies
 * on (WAL, durable commits, a busy timeout) and brings its schema up to date.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ClipSortError, errorMessage } from '../errors.js';
import { MIGRATIONS } from './migrations.js';

export type Db = Database.Database;

/**
 * Opens (creating if needed) the database at `file`. `synchronous=FULL`: the move journal is followed by file
 * operations, so a commit must survive power loss, not only a crash.
 */
export function openDatabase(file: string): Db {
  mkdirSync(path.dirname(file), { recursive: true });
  let db: Db;
  try {
    db = new Database(file, { timeout: 5000 });
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
  } catch (error) {
    if (/NODE_MODULE_VERSION/.test(errorMessage(error))) {
      // Built for the desktop app (Electron) by `npm start`, or for another Node.
      const runtime = process.versions.electron ? 'Electron' : `Node ${process.version}`;
      throw new ClipSortError(
        'native-module',
        `better-sqlite3 is built for another runtime than this one (${runtime}): run \`npm run native:node\` ` +
          'for the command line and tests, or `npm start` for the desktop app.',
        { cause: error },
      );
    }
    const code = (error as { code?: string }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      throw new ClipSortError(
        'library-db-damaged',
        `The library index ${file} is damaged (${errorMessage(error)}). Your photos are not affected: move the ` +
          'file aside (with its -wal and -shm companions) and ClipSort builds a new index, though the undo ' +
          'history and review decisions kept in it are lost.',
        { cause: error },
      );
    }
    throw new ClipSortError(
      'library-db',
      `The library index ${file} cannot be opened (${errorMessage(error)}). ` +
        'It must be on a local disk and writable.',
      { cause: error },
    );
  }
  migrate(db);
  return db;
}

/**
 * Takes the exclusive lock of the database at `file` (created if needed) and holds it until the returned database
 * is closed; `undefined` when another connection holds it. SQLite's lock is the operating system's (fcntl on
 * POSIX, LockFileEx on Windows), so the kernel releases it when its process dies, even by kill -9: a dead holder
 * never leaves a stale lock behind.
 */
export function takeExclusiveLock(file: string): Db | undefined {
  mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file, { timeout: 0 });
  try {
    db.pragma('journal_mode = DELETE');
    db.exec('BEGIN EXCLUSIVE');
    return db;
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') return undefined;
    throw error;
  }
}

/** Applies the migrations the database has not seen, each in its own transaction. */
function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    db.close();
    throw new ClipSortError(
      'library-newer',
      `This library was opened by a newer ClipSort (schema ${current}); update ClipSort to use it.`,
    );
  }
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
