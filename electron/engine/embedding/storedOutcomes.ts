import { lstatAll } from '../library/fileStats.js';
import { resolveLibraryPath } from '../library/libraryPaths.js';
import type { LibraryIndex } from '../store/libraryIndex.js';
import { storedOutcome, type EmbedOutcome } from './embeddingQueue.js';

/** What the index settles of a list of files, and what is left to read. */
export interface StoredOutcomes {
  /** Files unchanged since the index recorded their embedding by the model, or their failure by this reader. */
  settled: EmbedOutcome[];
  /** The others, in their order: changed, new, gone, or failed under an older reader. */
  unsettled: string[];
}

/**
 * Files looked at together. Their stats are taken while the index is read for the files before them, and the
 * index is read a slice at a time, so that other work of the process gets its turn in between.
 */
const SLICE = 4096;

/**
 * Settles from the index every file it already knows the outcome of (see `storedOutcome`): the stats of many
 * files at once, then their records and embeddings in one read each. A rescan of an unchanged library is this
 * pass alone; the files it leaves go through the embedding queue, which looks at each of them again.
 */
export async function storedOutcomes(
  root: string,
  files: readonly string[],
  modelKey: string,
  index: LibraryIndex,
): Promise<StoredOutcomes> {
  const settled: EmbedOutcome[] = [];
  const unsettled: string[] = [];
  const statSlice = (from: number) =>
    lstatAll(files.slice(from, from + SLICE).map((file) => resolveLibraryPath(root, file)));
  let next = statSlice(0);
  for (let from = 0; from < files.length; from += SLICE) {
    // Stat first, read the index after: a record is then never older than the stats it is compared with.
    const stats = await next;
    if (from + SLICE < files.length) next = statSlice(from + SLICE);
    const slice = files.slice(from, from + SLICE);
    const records = index.files.getMany(slice.filter((_, i) => stats[i] !== undefined));
    const contents = [...records.values()].flatMap((record) => (record.sha256 ? [record.sha256] : []));
    const vectors = index.embeddings.getMany(contents, modelKey);
    slice.forEach((file, i) => {
      const found = stats[i];
      const outcome = found && storedOutcome(file, records.get(file), found, (sha256) => vectors.get(sha256));
      if (outcome) settled.push(outcome);
      else unsettled.push(file);
    });
  }
  return { settled, unsettled };
}
