/**
 * Pure helpers for the Clusters view's state: what to ask for, where k starts, which class a group mostly holds,
 * and keeping a grouping true after moves.
 */
import type {
  CLUSTERINGS,
  CommandInput,
  CommandResult,
  LINKAGES,
} from '../../../electron/api/contract/index.js';
import { fileFacts } from './libraryFile.js';

export type ClusterMethod = (typeof CLUSTERINGS)[number];
export type Linkage = (typeof LINKAGES)[number];
export type ClusterResult = CommandResult<'clusters.run'>;

/** What the next run asks for; each method reads only its own parameters. */
export interface ClusterParams {
  method: ClusterMethod;
  k: number;
  eps: number;
  minPts: number;
  linkage: Linkage;
}

/** The clustering input for `params`: only the fields its method uses. */
export function clusterInput(params: ClusterParams): CommandInput<'clusters.run'> {
  switch (params.method) {
    case 'kmeans':
      return { method: 'kmeans', k: params.k };
    case 'dbscan':
      return { method: 'dbscan', eps: params.eps, minPts: params.minPts };
    case 'agglomerative':
      return { method: 'agglomerative', k: params.k, linkage: params.linkage };
  }
}

/** `result` with every moved file under its new path (files not moved keep theirs). */
export function followMoves(
  result: ClusterResult,
  moves: readonly { from: string; to: string }[],
): ClusterResult {
  const to = new Map(moves.map((m) => [m.from, m.to]));
  const follow = (files: string[]) => files.map((file) => to.get(file) ?? file);
  return {
    ...result,
    clusters: result.clusters.map((c) => ({ ...c, files: follow(c.files) })),
    noise: follow(result.noise),
  };
}

/** The k with the highest mean silhouette (the first of equals), or undefined where none has one. */
export function bestSilhouetteK(
  points: readonly { k: number; silhouette: number | null }[],
): number | undefined {
  let best: { k: number; silhouette: number } | undefined;
  for (const { k, silhouette } of points) {
    if (silhouette !== null && silhouette > (best?.silhouette ?? -Infinity)) best = { k, silhouette };
  }
  return best?.k;
}

/** The class most of a group's images hold, with how many of them do. */
export interface MostlyClass {
  name: string;
  count: number;
  total: number;
}

/**
 * The class the most of `files` hold by their folder (as the map's points tell it: references and sorted images
 * have one, the inbox none), ties going to the first name; null where none has a class.
 */
export function mostlyClass(files: readonly string[]): MostlyClass | null {
  const counts = new Map<string, number>();
  for (const file of files) {
    const name = fileFacts(file).class;
    if (name !== null) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  let best: MostlyClass | null = null;
  for (const [name, count] of counts) {
    if (!best || count > best.count || (count === best.count && name < best.name))
      best = { name, count, total: files.length };
  }
  return best;
}
