import { copyFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ClipModel } from '../../electron/engine/inference/clipModel.js';
import { newBatchId } from '../../electron/engine/store/moveJournal.js';
import { Sorter, type SortOutcome } from '../../electron/engine/sorting/sorter.js';
import { WatchService } from '../../electron/engine/sorting/watchService.js';
import { LibraryIndex } from '../../electron/engine/store/libraryIndex.js';

export interface WatchFigures {
  /** Images per second from the first drop to the last move. */
  throughput: number;
  /** Milliseconds from a complete file in Images/ to moved, the model warm. */
  completeToMoved: { p50: number; p95: number };
  /** Milliseconds from the drop to moved, through the watcher (size-stability wait included). */
  dropToMoved: { p50: number; p95: number };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

/** A copy of a JPEG with a unique comment segment: different bytes (and sha256), the same pixels. */
function uniqueJpeg(bytes: Buffer, label: string): Buffer {
  const text = Buffer.from(label);
  const segment = Buffer.alloc(4);
  segment.writeUInt16BE(0xfffe, 0);
  segment.writeUInt16BE(text.length + 2, 2);
  return Buffer.concat([bytes.subarray(0, 2), segment, text, bytes.subarray(2)]);
}

/**
 * Sorting as `clipsort watch` does it, on 12 MP JPEGs: sustained throughput over `count` images dropped at
 * once, and single-image latencies with the model warm. Every image sorts (threshold off), so each is moved.
 */
export async function benchWatch(
  model: ClipModel,
  photoDir: string,
  photos: readonly string[],
  workDir: string,
  count: number,
): Promise<WatchFigures> {
  await rm(workDir, { recursive: true, force: true });
  const root = path.join(workDir, 'library');
  const staging = path.join(workDir, 'staging');
  for (const folder of ['Images', 'Dataset', 'Classes/first', 'Classes/second']) {
    await mkdir(path.join(root, folder), { recursive: true });
  }
  await mkdir(staging, { recursive: true });
  await copyFile(path.join(photoDir, photos[0]!), path.join(root, 'Classes/first/ref.jpg'));
  await copyFile(path.join(photoDir, photos[1]!), path.join(root, 'Classes/second/ref.jpg'));
  const sources = await Promise.all(photos.map((name) => readFile(path.join(photoDir, name))));
  let serial = 0;
  const stage = async () => {
    const name = `drop-${serial++}.jpg`;
    await writeFile(path.join(staging, name), uniqueJpeg(sources[serial % sources.length]!, name));
    return name;
  };

  const index = LibraryIndex.open(root);
  const sorter = new Sorter(
    root,
    model,
    index,
    { mode: 'max', threshold: -Infinity, margin: -Infinity },
    newBatchId(),
  );
  try {
    await sorter.classes();
    const completeToMoved: number[] = [];
    for (let i = 0; i < 20; i++) {
      const name = await stage();
      await rename(path.join(staging, name), path.join(root, 'Images', name));
      const started = performance.now();
      const outcome = await sorter.sortFile(`Images/${name}`);
      if (outcome.kind !== 'sorted') throw new Error(`not sorted: ${JSON.stringify(outcome)}`);
      completeToMoved.push(performance.now() - started);
    }

    const arrived = new Map<string, (outcome: SortOutcome) => void>();
    const service = new WatchService(root, sorter);
    service.on('outcome', (outcome) => arrived.get(outcome.file)?.(outcome));
    service.on('notice', (message) => console.error(`  notice: ${message}`));
    await service.start();
    const outcomeOf = (name: string) =>
      new Promise<SortOutcome>((resolve) => arrived.set(`Images/${name}`, resolve));
    const dropToMoved: number[] = [];
    for (let i = 0; i < 10; i++) {
      const name = await stage();
      const moved = outcomeOf(name);
      const started = performance.now();
      await rename(path.join(staging, name), path.join(root, 'Images', name));
      await moved;
      dropToMoved.push(performance.now() - started);
    }

    const burst = [];
    for (let i = 0; i < count; i++) burst.push(await stage());
    const all = Promise.all(burst.map(outcomeOf));
    const started = performance.now();
    for (const name of burst) await rename(path.join(staging, name), path.join(root, 'Images', name));
    await all;
    const throughput = count / ((performance.now() - started) / 1000);
    await service.close();
    return {
      throughput,
      completeToMoved: { p50: percentile(completeToMoved, 50), p95: percentile(completeToMoved, 95) },
      dropToMoved: { p50: percentile(dropToMoved, 50), p95: percentile(dropToMoved, 95) },
    };
  } finally {
    await sorter.close();
    index.close();
    await rm(workDir, { recursive: true, force: true });
  }
}
