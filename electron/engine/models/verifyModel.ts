import { stat } from 'node:fs/promises';
import path from 'node:path';
import { ClipSortError } from '../errors.js';
import { sha256File } from './fileHash.js';
import { MODEL_RECORD_FILE } from './modelLayout.js';
import { readModelRecord } from './modelRecord.js';

/** How one recorded file compares with what is on disk now. */
export interface FileCheck {
  path: string;
  status: 'ok' | 'modified' | 'missing';
  expected: { size: number; sha256: string };
  actual?: { size: number; sha256?: string };
}

/** The result of re-hashing a model folder against its record. */
export interface VerifyReport {
  id: string;
  path: string;
  ok: boolean;
  files: FileCheck[];
}

/** Re-hashes every file recorded in `dir`'s `clipsort-model.json` and reports those missing or changed. */
export async function verifyModel(dir: string): Promise<VerifyReport> {
  const folder = path.resolve(dir);
  const record = await readModelRecord(folder);
  if (!record) {
    throw new ClipSortError(
      'model-unrecorded',
      `${folder} has no ${MODEL_RECORD_FILE}, so there is nothing to verify it against; import it with ` +
        `\`clipsort models import ${folder}\` to record its checksums.`,
    );
  }
  const files: FileCheck[] = [];
  for (const recorded of record.files) {
    const file = path.join(folder, recorded.path);
    const expected = { size: recorded.size, sha256: recorded.sha256 };
    let size: number;
    try {
      const info = await stat(file);
      if (!info.isFile()) throw new Error('not a file');
      size = info.size;
    } catch {
      files.push({ path: recorded.path, status: 'missing', expected });
      continue;
    }
    // A different size is already a change; only the same size needs the hash.
    const sha256 = size === recorded.size ? await sha256File(file) : undefined;
    const status = sha256 === recorded.sha256 ? 'ok' : 'modified';
    files.push({ path: recorded.path, status, expected, actual: { size, sha256 } });
  }
  return { id: record.id, path: folder, ok: files.every((file) => file.status === 'ok'), files };
}
