import type { Db } from './database.js';

function toBlob(vector: Float32Array): Buffer {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
}

function fromBlob(blob: Buffer): Float32Array {
  // Copy: the blob's memory is not guaranteed to be 4-byte aligned.
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

  /** Stores many embeddings in one transaction. */
  putMany(model: string, entries: readonly { sha256: string; vector: Float32Array }[]): void {
    const now = Date.now();
    this.db.transaction(() => {
      for (const { sha256, vector } of entries) this.insert.run(sha256, model, toBlob(vector), now);
    })();
  }
}
