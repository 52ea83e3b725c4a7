/**
 * Sizes for people, as the engine's messages and the command line write them. This module imports nothing, so
 * that the contract (and through it every face) can take it without the engine.
 */

/** Bytes for people, 1000-based: `12.3 MB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = -1;
  do {
    value /= 1000;
    unit++;
  } while (value >= 1000 && unit < units.length - 1);
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
