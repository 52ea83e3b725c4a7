/**
 * The record in each installed model folder (`clipsort-model.json`): where the model came from and the verified
 * size and sha256 of every file, so that `clipsort models verify` can tell later whether anything changed.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ClipSortError } from '../errors.js';
import { writeFileDurably } from '../fs/durable.js';
import { modelFilePathSchema, modelIdSchema } from './manifest.js';
import { MODEL_RECORD_FILE } from './modelLayout.js';

const recordedFileSchema = z.object({
  path: modelFilePathSchema,
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

const modelRecordSchema = z.object({
  format: z.literal(1),
  id: modelIdSchema,
  source: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('download'), catalogueId: z.string(), url: z.string() }),
    z.object({ kind: z.literal('import'), path: z.string() }),
  ]),
  files: z.array(recordedFileSchema),
  installedAt: z.iso.datetime(),
  /** The learned text scoring the catalogue states for the model, where its own config does not. */
  scoring: z
    .object({ kind: z.enum(['softmax', 'sigmoid']), scale: z.number().positive(), bias: z.number() })
    .optional(),
});

export type RecordedFile = z.infer<typeof recordedFileSchema>;
export type ModelRecord = z.infer<typeof modelRecordSchema>;

/** The record of the model in `dir`; undefined when there is none, an error when it is damaged. */
export async function readModelRecord(dir: string): Promise<ModelRecord | undefined> {
  const file = path.join(dir, MODEL_RECORD_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return modelRecordSchema.parse(JSON.parse(text));
  } catch {
    throw new ClipSortError(
      'model-record-invalid',
      `The model record ${file} is damaged; download or import the model again.`,
    );
  }
}

/** Writes the record of the model in `dir` durably, files sorted by path. */
export async function writeModelRecord(dir: string, record: ModelRecord): Promise<void> {
  const files = [...record.files].sort((a, b) => a.path.localeCompare(b.path));
  await writeFileDurably(
    path.join(dir, MODEL_RECORD_FILE),
    `${JSON.stringify({ ...record, files }, null, 2)}\n`,
  );
}
