import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { databasePath } from '../../electron/engine/library/libraryPaths.js';
import { openDatabase } from '../../electron/engine/store/database.js';
import { isUnchanged } from '../../electron/engine/store/fileIndex.js';
import { LibraryIndex } from '../../electron/engine/store/libraryIndex.js';
import { MIGRATIONS } from '../../electron/engine/store/migrations.js';
import { useTempDirs } from '../helpers/tempDir.js';

describe('library index (SQLite)', () => {
  const tempDir = useTempDirs();

  it('creates the schema once, in WAL mode with durable commits', async () => {
    const root = await tempDir();
    const db = openDatabase(databasePath(root));
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    db.close();
    // Reopening applies nothing twice.
    openDatabase(databasePath(root)).close();
  });

  it('refuses a library made by a newer version', async () => {
    const root = await tempDir();
    const db = openDatabase(databasePath(root));
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    expect(() => openDatabase(databasePath(root))).toThrow(/newer ClipSort/);
  });

  it('stores embeddings once per content and model, bit for bit', async () => {
    const root = await tempDir();
    const index = LibraryIndex.open(root);
    const vector = Float32Array.from([0.1, -0.2, 0.3, Math.PI]);
    index.embeddings.putMany('model-a', [{ sha256: 'abc', vector }]);
    expect(index.embeddings.get('abc', 'model-a')).toEqual(vector);
    expect(index.embeddings.get('abc', 'model-b')).toBeUndefined();
    index.close();
    const reopened = LibraryIndex.open(root);
    expect(reopened.embeddings.get('abc', 'model-a')).toEqual(vector);
    reopened.close();
  });

  it('reads many records and embeddings at once, leaving out the unknown ones', async () => {
    const root = await tempDir();
    const index = LibraryIndex.open(root);
    const paths = ['Images/b.jpg', 'Images/a.jpg', 'Dataset/cats/c.jpg'];
    for (const [i, file] of paths.entries()) {
      index.files.put({
        path: file,
        size: i,
        mtimeMs: i + 0.5,
        sha256: `sha-${i}`,
        errorCode: null,
        error: null,
      });
    }
    index.embeddings.putMany('model-a', [
      { sha256: 'sha-0', vector: Float32Array.from([1, 2]) },
      { sha256: 'sha-2', vector: Float32Array.from([3, 4]) },
    ]);
    const records = index.files.getMany([...paths, 'Images/unknown.jpg']);
    expect([...records.keys()].sort()).toEqual([...paths].sort());
    for (const file of paths) expect(records.get(file)).toEqual(index.files.get(file));
    const vectors = index.embeddings.getMany(['sha-2', 'sha-1', 'sha-0', 'sha-2'], 'model-a');
    expect(Object.fromEntries([...vectors].map(([sha, v]) => [sha, [...v]]))).toEqual({
      'sha-0': [1, 2],
      'sha-2': [3, 4],
    });
    expect(index.embeddings.getMany(['sha-0'], 'model-b').size).toBe(0);
    index.close();
  });

  it('keeps file records with their last error until they change', async () => {
    const root = await tempDir();
    const index = LibraryIndex.open(root);
    const record = {
      path: 'Images/a b/ü.jpg',
      size: 10,
      mtimeMs: 1234.5,
      sha256: null,
      errorCode: 'image-corrupt',
      error: 'ü.jpg: damaged',
      errorRevision: 2,
    };
    index.files.put(record);
    expect(index.files.get(record.path)).toEqual(record);
    expect(index.files.errors().map((r) => r.path)).toEqual([record.path]);
    expect(isUnchanged(index.files.get(record.path), 10, 1234.5)).toBe(true);
    expect(isUnchanged(index.files.get(record.path), 11, 1234.5)).toBe(false);
    index.files.put({ ...record, size: 11, sha256: 'f00', errorCode: null, error: null });
    expect(index.files.errors()).toEqual([]);
    index.close();
    expect(path.basename(databasePath(root))).toBe('library.db');
  });
});
