/**
 * Sizes and counts for people, as the engine's messages, the command line and the page write them. This module imports nothing, so
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

/**
 * A count and the word for it, in the form `language` uses for that many (Intl.PluralRules): "1 image",
 * "3 images", "0 images" in English; "1 imagen", "0 imágenes" in Spanish. `one` and `other` are the words alone.
 */
export function countPhrase(language: string, count: number, one: string, other: string): string {
  const word = new Intl.PluralRules(language).select(count) === 'one' ? one : other;
  const number = new Intl.NumberFormat(language, { minimumFractionDigits: 0, maximumFractionDigits: 0 });
  return `${number.format(count)} ${word}`;
}

/** {@link countPhrase} in English, for the engine's messages and the command line. */
export const count = (n: number, one: string, other = `${one}s`): string => countPhrase('en', n, one, other);
