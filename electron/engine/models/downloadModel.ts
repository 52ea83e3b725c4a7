/**
 * Installs a catalogue model into the models home: works out what each file must hash to before fetching
 * anything (so an unverifiable file is refused up front), keeps files already there and verified, downloads the
 * rest one by one, and records every file's sha256.
 */
import { mkdir, stat, statfs } from 'node:fs/promises';
import path from 'node:path';
import { ClipSortError } from '../errors.js';
import { downloadFile, partialPaths, unverifiable } from './download.js';
import { digestFile, sha256File, type FileDigest } from './fileHash.js';
import { lockFolder } from './folderLock.js';
import { filesForVariant, type ModelEntry, type ModelFile } from './manifest.js';
import { isFile } from './modelLayout.js';
import { readModelRecord, writeModelRecord, type RecordedFile } from './modelRecord.js';
import { probeRemoteFile } from './remoteDigest.js';
import { formatBytes } from '../units.js';
import { withRetries, type RetryOptions, type TransientError } from './retry.js';

export interface DownloadModelOptions extends RetryOptions {
  /** Fetch the int8 quantized encoders instead of the full-precision ones (files already there are kept). */
  quantized?: boolean;
  /** Bytes fetched so far in this run and the total to fetch, where known. */
  onProgress?: (done: number, total: number) => void;
  /** Called as each file starts, e.g. to name it in a progress line. */
  onFile?: (file: ModelFile) => void;
  idleTimeoutMs?: number;
  fetch?: typeof fetch;
}

/** A model folder after an install, download or import. */
export interface InstalledModel {
  id: string;
  path: string;
  files: RecordedFile[];
  /** Paths fetched or copied in this run; the others were already there and verified. */
  added: string[];
}

interface PlannedFile {
  file: ModelFile;
  dest: string;
  expected: FileDigest;
  size: number | undefined;
}

/** Downloads (or completes) the catalogue model `entry` into `<modelsHome>/<id>`. */
export async function downloadModel(
  entry: ModelEntry,
  modelsHome: string,
  options: DownloadModelOptions = {},
): Promise<InstalledModel> {
  const dir = path.join(modelsHome, entry.id);
  await mkdir(dir, { recursive: true });
  const unlock = await lockFolder(dir, `the model ${entry.id}`);
  try {
    const previous = await readModelRecord(dir).catch((error: unknown) => {
      if (error instanceof ClipSortError) return undefined; // damaged: every file is checked again below
      throw error;
    });
    const variant = options.quantized ? 'quantized' : 'fp32';
    // An interrupted download of the other variant is finished too, so that no variant stays half there.
    const wanted = [
      ...filesForVariant(entry, variant),
      ...(await unfinished(
        entry.files.filter((file) => file.variant && file.variant !== variant),
        dir,
      )),
    ];
    const verified = new Map<string, RecordedFile>();
    const toFetch: PlannedFile[] = [];
    for (const file of wanted) {
      const dest = path.join(dir, file.path);
      const recorded = previous?.files.find((candidate) => candidate.path === file.path);
      if (
        recorded &&
        (await sizeOf(dest)) === recorded.size &&
        (!file.sha256 || file.sha256 === recorded.sha256)
      ) {
        verified.set(file.path, recorded);
        continue;
      }
      const planned = await plan(file, dest, options);
      const present = await verifiedCopy(planned);
      if (present) verified.set(file.path, present);
      else toFetch.push(planned);
    }
    await checkFreeSpace(dir, toFetch);

    const total = () => toFetch.reduce((sum, planned) => sum + (planned.size ?? 0), 0);
    let finished = 0;
    for (const planned of toFetch) {
      options.onFile?.(planned.file);
      const result = await downloadFile(planned.file.url, planned.dest, {
        retries: options.retries,
        retryDelayMs: options.retryDelayMs,
        signal: options.signal,
        idleTimeoutMs: options.idleTimeoutMs,
        fetch: options.fetch,
        name: planned.file.path,
        expected: planned.expected,
        expectedSize: planned.size,
        onProgress: (done, fileTotal) => {
          planned.size ??= fileTotal;
          options.onProgress?.(finished + done, Math.max(total(), finished + done));
        },
      });
      finished += result.size;
      verified.set(planned.file.path, { path: planned.file.path, size: result.size, sha256: result.sha256 });
    }

    // Files of the other variant stay recorded while they are still there.
    for (const file of previous?.files ?? []) {
      if (!verified.has(file.path) && (await sizeOf(path.join(dir, file.path))) === file.size) {
        verified.set(file.path, file);
      }
    }
    const files = [...verified.values()];
    await writeModelRecord(dir, {
      format: 1,
      id: entry.id,
      source: { kind: 'download', catalogueId: entry.id, url: entry.homepage ?? wanted[0]?.url ?? '' },
      files,
      installedAt: new Date().toISOString(),
      ...(entry.logitScale === undefined
        ? {}
        : { scoring: { kind: entry.scoring, scale: entry.logitScale, bias: entry.logitBias ?? 0 } }),
    });
    return { id: entry.id, path: dir, files, added: toFetch.map((planned) => planned.file.path) };
  } finally {
    await unlock();
  }
}

/** `files` (one variant's) when the download of any of them was started and not finished, else none. */
async function unfinished(files: ModelFile[], dir: string): Promise<ModelFile[]> {
  for (const file of files) {
    if (await isFile(partialPaths(path.join(dir, file.path)).part)) return files;
  }
  return [];
}

/** What `file` must hash to: the catalogue's sha256, else what the server states; refused when neither says. */
async function plan(file: ModelFile, dest: string, options: DownloadModelOptions): Promise<PlannedFile> {
  if (file.sha256)
    return { file, dest, expected: { algorithm: 'sha256', hex: file.sha256 }, size: file.size };
  const remote = await withRetries(
    () =>
      probeRemoteFile(file.url, {
        name: file.path,
        fetch: options.fetch,
        signal: options.signal,
        timeoutMs: options.idleTimeoutMs,
      }),
    {
      retries: options.retries,
      retryDelayMs: options.retryDelayMs,
      signal: options.signal,
      onGiveUp: (last: TransientError) =>
        new ClipSortError(
          'download-failed',
          `Could not reach ${file.url} to check ${file.path}: ${last.message}. Check the connection and try again.`,
        ),
    },
  );
  if (!remote.digest) throw unverifiable(file.path, file.url);
  return { file, dest, expected: remote.digest, size: file.size ?? remote.size };
}

/** The record of a file already at its final name that has the expected hash (left by an interrupted run). */
async function verifiedCopy(planned: PlannedFile): Promise<RecordedFile | undefined> {
  if (!(await isFile(planned.dest))) return undefined;
  const size = await sizeOf(planned.dest);
  if (planned.size !== undefined && size !== planned.size) return undefined;
  if ((await digestFile(planned.dest, planned.expected.algorithm)) !== planned.expected.hex) return undefined;
  const sha256 =
    planned.expected.algorithm === 'sha256' ? planned.expected.hex : await sha256File(planned.dest);
  return { path: planned.file.path, size: size ?? 0, sha256 };
}

/** Refuses up front when the disk cannot hold what is left to fetch. */
async function checkFreeSpace(dir: string, toFetch: PlannedFile[]): Promise<void> {
  let needed = 0;
  for (const planned of toFetch) {
    needed += Math.max(0, (planned.size ?? 0) - ((await sizeOf(partialPaths(planned.dest).part)) ?? 0));
  }
  if (needed === 0) return;
  const space = await statfs(dir).catch(() => undefined);
  if (space && space.bavail * space.bsize < needed) {
    throw new ClipSortError(
      'disk-full',
      `The model needs ${formatBytes(needed)} more but only ${formatBytes(space.bavail * space.bsize)} is free ` +
        `at ${dir}; free some space or choose another models folder.`,
    );
  }
}

async function sizeOf(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).size;
  } catch {
    return undefined;
  }
}
