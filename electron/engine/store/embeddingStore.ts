import type { Db } from './database.js';

function toBlob(vector: Float32Array): Buffer {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
}

function fromBlob(blob: Buffer): Float32Array {
  // A view where the blob's memory is 4-byte aligned (better-sqlite3 gives each blob its own), else a copy.
  if (blob.byteOffset % 4 === 0) return new Float32Array(blob.buffer, blob.byteOffset, blob.length / 4);
  const bytes = new Uint8Array(blob);
  return new Float32Array(bytes.buffer, 0, bytes.length / 4);
}

/** Embeddings by (content sha256, model key): each image content is embedded once per model. */
export class EmbeddingStore {
  private readonly selectOne;
  private readonly insert;

  constructor(private readonly db: Db) {
    this.selectOne = db.prepare<[string, string], { vector: Buffer }>(
      'SELECT vector FROM embeddings WHERE sha256 = ? AND model = ?',
    );
    this.insert = db.prepare(
      'INSERT OR REPLACE INTO embeddings (sha256, model, vector, created_at) VALUES (?, ?, ?, ?)',
    );
  }

  get(sha256: string, model: string): Float32Array | undefined {
    const row = this.selectOne.get(sha256, model);
    return row && fromBlob(row.vector);
  }

  /** The embeddings by `model` of many contents, by sha256; one read, in key order (see `FileIndex.getMany`). */
  getMany(sha256s: Iterable<string>, model: string): Map<string, Float32Array> {
    const vectors = new Map<string, Float32Array>();
    this.db.transaction(() => {
      for (const sha256 of [...new Set(sha256s)].sort()) {
        const row = this.selectOne.get(sha256, model);
        if (row) vectors.set(sha256, fromBlob(row.vector));
      }
    })();
    return vectors;
  }

  /** Stores many embeddings in one transaction. */
  putMany(model: string, entries: readonly { sha256: string; vector: Float32Array }[]): void {
    const now = Date.now();
    this.db.transaction(() => {
      for (const { sha256, vector } of entries) this.insert.run(sha256, model, toBlob(vector), now);
    })();
  }
}
