/** Pure helpers for the Clusters view's state: what to ask for, and keeping a grouping true after moves. */
import type {
  CLUSTERINGS,
  CommandInput,
  CommandResult,
  LINKAGES,
} from '../../../electron/api/contract/index.js';

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
