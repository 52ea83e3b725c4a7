/**
 * Choosing a name in a folder that no existing file already has — on any filesystem the library may be copied to.
 * macOS, Windows and exFAT treat `Beach.JPG` and `beach.jpg`, and the NFC and NFD spellings of `café.jpg`, as one
 * name, so we compare names by `nameKey` even on Linux, where they would be distinct.
 */
import path from 'node:path';
import { MAX_NAME_BYTES, fitBytes } from '../library/safeNames.js';

/** The form under which two names are the same file somewhere: NFC, then case-folded (`ß` and `ss` included). */
export function nameKey(name: string): string {
  return name.normalize('NFC').toUpperCase().toLowerCase();
}

/** The keys of a folder's names, for `freeName`. */
export function takenKeys(names: Iterable<string>): Set<string> {
  const keys = new Set<string>();
  for (const name of names) keys.add(nameKey(name));
  return keys;
}

/**
 * Splits a name into the part numbered on a collision and the extension kept after the number. Only the last
 * extension counts: `archive.tar.gz` → `archive.tar (2).gz`, so that dotted photo names such as
 * `IMG.2024.05.01.jpg` → `IMG.2024.05.01 (2).jpg` keep reading as themselves and the type stays at the end.
 * A dot-file (`.hidden`) has no extension.
 */
export function splitName(name: string): { stem: string; extension: string } {
  const extension = path.extname(name);
  return { stem: name.slice(0, name.length - extension.length), extension };
}

/** `stem` + `suffix` + `extension`, the stem shortened so that the whole fits in `maxBytes` of UTF-8. */
function fitName(name: string, suffix: string, maxBytes: number): string {
  let { stem, extension } = splitName(name);
  const room = maxBytes - Buffer.byteLength(suffix);
  if (Buffer.byteLength(extension) >= room) {
    // An extension too long to keep beside any stem is shortened with it, as part of the name.
    stem = name;
    extension = '';
  }
  return fitBytes(stem, room - Buffer.byteLength(extension)) + suffix + extension;
}

/** A name's numbered form: `beach.jpg`, 3 → `beach (3).jpg`, the stem shortened to stay within `maxBytes`. */
export function numberedName(name: string, number: number, maxBytes = MAX_NAME_BYTES): string {
  return fitName(name, ` (${number})`, maxBytes);
}

/**
 * `wanted`, or when its key is in `taken` (see `takenKeys`) the first free of `stem (2).ext`, `stem (3).ext`, …
 * A name that already ends in a number (`beach (2).jpg`) continues from it (`beach (3).jpg`). Every result is at
 * most 255 bytes of UTF-8 (a longer `wanted` is shortened first).
 */
export function freeName(wanted: string, taken: ReadonlySet<string>, maxBytes = MAX_NAME_BYTES): string {
  const name = fitName(wanted, '', maxBytes);
  if (!taken.has(nameKey(name))) return name;
  const { stem, extension } = splitName(name);
  const numbered = /^(.*\S) \((\d{1,9})\)$/su.exec(stem);
  const [base, from] = numbered ? [numbered[1]! + extension, Number(numbered[2]) + 1] : [name, 2];
  for (let number = from; ; number++) {
    const candidate = numberedName(base, number, maxBytes);
    if (!taken.has(nameKey(candidate))) return candidate;
  }
}

/** A group member's name in two parts: the stem it shares with the group, and the rest (`.jpg`, `.jpg.xmp`). */
export interface NameParts {
  stem: string;
  rest: string;
}

/** `stem` + `suffix` + `rest` within `maxBytes`, the stem shortened first. */
function fitParts({ stem, rest }: NameParts, suffix: string, maxBytes: number): string {
  const room = maxBytes - Buffer.byteLength(suffix) - Buffer.byteLength(rest);
  if (room <= 0) return fitName(stem + rest, suffix, maxBytes);
  return fitBytes(stem, room) + suffix + rest;
}

/**
 * Names for files that move as one (see fileGroups.ts): their wanted names when none is taken, or else all with
 * the same first free number, so that `beach.jpg` + `beach.jpg.xmp` become `beach (2).jpg` + `beach (2).jpg.xmp`.
 * Stems that already end in one number (`beach (2)`) continue from it, as in `freeName`.
 */
export function freeGroupNames(
  members: readonly NameParts[],
  taken: ReadonlySet<string>,
  maxBytes = MAX_NAME_BYTES,
): string[] {
  const isFree = (names: string[]) => {
    const keys = names.map(nameKey);
    return new Set(keys).size === keys.length && keys.every((key) => !taken.has(key));
  };
  const wanted = members.map((parts) => fitParts(parts, '', maxBytes));
  if (new Set(wanted.map(nameKey)).size !== wanted.length) {
    throw new Error(`Files that move as one need distinct names: ${wanted.join(', ')}.`);
  }
  if (isFree(wanted)) return wanted;
  const numbered = members.map((parts) => /^(.*\S) \((\d{1,9})\)$/su.exec(parts.stem));
  const first = numbered[0]?.[2];
  const continues = first !== undefined && numbered.every((match) => match?.[2] === first);
  const stems = members.map((parts, i) => ({ ...parts, stem: continues ? numbered[i]![1]! : parts.stem }));
  for (let number = continues ? Number(first) + 1 : 2; ; number++) {
    const candidates = stems.map((parts) => fitParts(parts, ` (${number})`, maxBytes));
    if (isFree(candidates)) return candidates;
  }
}
