/**
 * One folder or file name made safe on every desktop filesystem: cut to a number of UTF-8 bytes, and class names
 * cleaned of what no folder name may hold, with the reasons. This module imports nothing (no Node), so that the
 * page shows the very name the engine will save, before it is created.
 */

/** The longest file or folder name, in UTF-8 bytes, that ext4, APFS, NTFS and exFAT all accept. */
export const MAX_NAME_BYTES = 255;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const utf8 = new TextEncoder();
const byteLength = (text: string) => utf8.encode(text).length;

/**
 * The longest start of `text` that fits in `maxBytes` of UTF-8, cut between characters as a person sees them (an
 * emoji or an accented letter stays whole), or between code points when one "character" is itself too long.
 */
export function fitBytes(text: string, maxBytes: number): string {
  if (byteLength(text) <= maxBytes) return text;
  let fitted = '';
  let bytes = 0;
  for (const { segment } of graphemes.segment(text)) {
    const size = byteLength(segment);
    if (bytes + size > maxBytes) {
      if (fitted === '') {
        for (const codePoint of segment) {
          const pointSize = byteLength(codePoint);
          if (bytes + pointSize > maxBytes) break;
          fitted += codePoint;
          bytes += pointSize;
        }
      }
      break;
    }
    fitted += segment;
    bytes += size;
  }
  return fitted;
}

/** Characters no folder name may hold somewhere: separators, Windows' reserved set, C0 and C1 controls. */
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARACTERS = /[<>:"/\\|?*\u0000-\u001f\u007f-\u009f]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** Leading and trailing dots and white space: hidden on Unix, dropped silently by Windows. */
const EDGES = /^[\s.]+|[\s.]+$/gu;
/** Names Windows reserves for devices, with or without an extension (`CON`, `nul.txt`, `COM1`, `LPT²`). */
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)\s*(\.|$)/iu;

/** The name a class folder gets when nothing usable is left of the name asked for. */
export const UNNAMED_CLASS = 'unnamed';

/** Why a class name was changed to become its folder's name. */
export type NameChange =
  /** `character` (a separator, a reserved or a control character, or half an emoji) became `_`. */
  | { reason: 'character'; character: string }
  /** Dots and white space at the start or the end were dropped. */
  | { reason: 'edges' }
  /** It was cut to fit in 255 bytes. */
  | { reason: 'too-long' }
  /** It is a name Windows keeps for a device (`device`), so `_` was added. */
  | { reason: 'device'; device: string }
  /** Nothing usable was left: the class is `unnamed`. */
  | { reason: 'empty' };

/**
 * A class name as one folder name that is safe on every desktop filesystem, and what was changed to make it so:
 * NFC, no separators, `..`, control or reserved characters (each becomes `_`), no leading or trailing dots and
 * spaces, not a Windows device name (`CON` → `CON_`), at most 255 bytes of UTF-8, never empty. Other Unicode,
 * emoji included, is kept; the NFC form is no change a person would see.
 */
export function safeClassName(name: string): { name: string; changes: NameChange[] } {
  const changes: NameChange[] = [];
  const replaced = new Set<string>();
  const replace = (character: string) => {
    if (!replaced.has(character)) changes.push({ reason: 'character', character });
    replaced.add(character);
    return '_';
  };
  const trim = (text: string) => {
    const trimmed = text.replace(EDGES, '');
    if (trimmed !== text && trimmed !== '' && !changes.some((c) => c.reason === 'edges')) {
      changes.push({ reason: 'edges' });
    }
    return trimmed;
  };
  let clean = trim(
    name.normalize('NFC').replace(LONE_SURROGATE, replace).replace(UNSAFE_CHARACTERS, replace),
  );
  const fitted = fitBytes(clean, MAX_NAME_BYTES - 1); // one byte spare for the device-name mark
  if (fitted !== clean) changes.push({ reason: 'too-long' });
  clean = trim(fitted);
  if (clean === '') return { name: UNNAMED_CLASS, changes: [{ reason: 'empty' }] };
  const device = WINDOWS_DEVICE.exec(clean);
  if (device) {
    clean = clean.replace(/^[^.\s]*/u, (found) => `${found}_`);
    changes.push({ reason: 'device', device: device[1]! });
  }
  return { name: clean, changes };
}

/** The folder name of the class `name` (see `safeClassName`). */
export const sanitiseClassName = (name: string): string => safeClassName(name).name;
