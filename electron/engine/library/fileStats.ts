import { lstat, type Stats } from 'node:fs';

/** Stats asked of the file system at once: enough to keep its thread pool busy, few enough to leave it room. */
const IN_FLIGHT = 64;

/**
 * The `lstat` of each of many files, in their order; `undefined` for one that cannot be stat'ed (gone, most
 * often). Callbacks rather than promises: over a whole library the promise per file costs more than the stat.
 */
export function lstatAll(files: readonly string[]): Promise<(Stats | undefined)[]> {
  const stats = new Array<Stats | undefined>(files.length);
  if (files.length === 0) return Promise.resolve(stats);
  return new Promise((resolve) => {
    let next = 0;
    let settled = 0;
    const startNext = () => {
      const i = next++;
      lstat(files[i]!, (error, found) => {
        stats[i] = error ? undefined : found;
        if (++settled === files.length) resolve(stats);
        else if (next < files.length) startNext();
      });
    };
    for (let k = 0; k < Math.min(IN_FLIGHT, files.length); k++) startNext();
  });
}
