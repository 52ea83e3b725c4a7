/**
 * Files of one folder that belong together and so move as one: a photo, its RAW twin, a Live Photo's motion and
 * the sidecars editors keep beside it (`IMG_0007.HEIC`, `IMG_0007.dng`, `IMG_0007.MOV`, `IMG_0007.AAE`,
 * `IMG_0007.HEIC.xmp`). Members share a stem, compared as file systems that ignore case compare names.
 *
 * Each group has one primary, the file ClipSort looks at: a JPEG before a HEIC before any other still, a RAW only
 * when there is no still (read through its preview). A group holds one still: two stills of one stem may be two
 * pictures, so each is sorted on its own and the second forms a group of its own. A video or sidecar with no photo
 * beside it belongs to no group.
 */
import path from 'node:path';
import { isIgnoredName } from './ignoredNames.js';
import { mediaKind } from './mediaKinds.js';

/** A primary and the files that move with it, all names in one folder. */
export interface FileGroup {
  primary: string;
  companions: string[];
}

/** The form under which two names are one on a case-insensitive file system (as `nameKey` in move/freeName.ts). */
const key = (name: string) => name.normalize('NFC').toUpperCase().toLowerCase();

/** Stills a group prefers as its primary, best first; any other still comes after them. */
const PRIMARY_ORDER = ['.jpg', '.jpeg', '.jfif', '.heic', '.heif'];

function stillRank(name: string): number {
  const rank = PRIMARY_ORDER.indexOf(path.extname(name).toLowerCase());
  return rank === -1 ? PRIMARY_ORDER.length : rank;
}

/**
 * A member's name split where a numbered suffix goes: the stem it shares with its group and the rest
 * (`beach.jpg.xmp` → `beach` + `.jpg.xmp`), so that `beach (2).jpg` goes with `beach (2).jpg.xmp`.
 */
export function memberParts(name: string): { stem: string; rest: string } {
  let stem = name.slice(0, name.length - path.extname(name).length);
  if (mediaKind(name) === 'sidecar' && mediaKind(stem) !== undefined && mediaKind(stem) !== 'sidecar') {
    stem = stem.slice(0, stem.length - path.extname(stem).length);
  }
  return { stem, rest: name.slice(stem.length) };
}

/** What members of one group have in common: the key of their shared stem. */
export function stemKey(name: string): string {
  return key(memberParts(name).stem);
}

/**
 * The names ClipSort groups among `names` (one folder's entries), by `stemKey`: a group's members all lie under
 * one key, so that finding a file's group in a large folder looks at a few names, not all of them.
 */
export function namesByStem(names: Iterable<string>): Map<string, string[]> {
  const byStem = new Map<string, string[]>();
  for (const name of names) {
    if (!isGroupedName(name)) continue;
    const stem = stemKey(name);
    const same = byStem.get(stem);
    if (same) same.push(name);
    else byStem.set(stem, [name]);
  }
  return byStem;
}

/** The groups among `names` (one folder's entries; others are left out), sorted by primary. */
export function groupFiles(names: Iterable<string>): FileGroup[] {
  const groups: FileGroup[] = [];
  for (const members of namesByStem([...names].sort()).values()) groups.push(...stemGroups(members));
  return groups.sort((a, b) => (a.primary < b.primary ? -1 : a.primary > b.primary ? 1 : 0));
}

/** The groups of files sharing one stem. */
function stemGroups(members: readonly string[]): FileGroup[] {
  const of = (kind: string) => members.filter((name) => mediaKind(name) === kind);
  const stills = of('still').sort((a, b) => stillRank(a) - stillRank(b));
  const raws = of('raw');
  const primary = stills[0] ?? raws[0];
  if (primary === undefined) return [];
  const group: FileGroup = { primary, companions: [] };
  const keys = new Set([key(primary)]);
  const alone = stills.slice(1);
  for (const name of [...raws, ...of('video'), ...of('sidecar')]) {
    if (name === primary) continue;
    // Two names one file system would take for one (`a.mov`, `A.MOV` on Linux) cannot both move under one name:
    // the second RAW is sorted on its own, the second video or sidecar stays.
    if (keys.has(key(name))) {
      if (mediaKind(name) === 'raw') alone.push(name);
      continue;
    }
    keys.add(key(name));
    group.companions.push(name);
  }
  return [group, ...alone.map((file) => ({ primary: file, companions: [] }))];
}

/** The other members of `name`'s group among `names` (its folder's entries), or none. */
export function groupOf(name: string, names: Iterable<string>): FileGroup | undefined {
  const all = new Set(names).add(name);
  return groupFiles(all).find((group) => group.primary === name || group.companions.includes(name));
}

/** True for names ClipSort groups (stills, RAWs, videos, sidecars), which a folder listing must keep. */
export function isGroupedName(name: string): boolean {
  return !isIgnoredName(name) && mediaKind(name) !== undefined;
}
