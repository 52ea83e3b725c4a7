/** Marking on the map the images another view found: text-search results and near-duplicate groups. */
import type { CommandResult } from '../../../../electron/api/contract/index.js';

export type SearchResults = CommandResult<'search.text'>['results'];
export type Duplicates = CommandResult<'search.duplicates'>;

export const HIGHLIGHTS = ['none', 'search', 'duplicates'] as const;
export type HighlightMode = (typeof HIGHLIGHTS)[number];

export interface Highlight {
  /** 1 for each point to stand out. */
  flags: Uint8Array;
  count: number;
  /** Point indices of each duplicate group found on the map (two or more), to join with lines. */
  groups: number[][];
}

/** Each file's point index. */
export function indexByFile(points: readonly { file: string }[]): Map<string, number> {
  return new Map(points.map((p, i) => [p.file, i]));
}

/** The points that are search results or near-duplicates; files not on the map are left out. */
export function highlightPoints(
  byFile: ReadonlyMap<string, number>,
  count: number,
  source: { search: SearchResults } | { duplicates: Duplicates },
): Highlight {
  const flags = new Uint8Array(count);
  const groups: number[][] = [];
  const files =
    'search' in source
      ? [source.search.map((r) => r.file)]
      : source.duplicates.groups.map((group) => group.files);
  for (const group of files) {
    const found = group.map((file) => byFile.get(file)).filter((i) => i !== undefined);
    for (const i of found) flags[i] = 1;
    if ('duplicates' in source && found.length > 1) groups.push(found);
  }
  return { flags, count: flags.reduce((sum, flag) => sum + flag, 0), groups };
}
