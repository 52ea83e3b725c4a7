import type { Client } from '../../../electron/api/client.js';
import type { CommandResult } from '../../../electron/api/contract/index.js';
import {
  bestSilhouetteK,
  clusterInput,
  followMoves,
  type ClusterParams,
  type ClusterResult,
} from './clusterResult.js';
import { EngineState } from './engineState.svelte.js';
import type { StateBus } from './stateEvents.js';

export type { ClusterMethod, ClusterParams, Linkage } from './clusterResult.js';
export type ElbowPoint = CommandResult<'clusters.elbow'>['points'][number];
export type KDistance = CommandResult<'clusters.kDistance'>;
/** What making a class from a cluster did, and whether the images were moved rather than copied. */
export type ClassOutcome = CommandResult<'classes.fromFiles'> & { moved: boolean };

/** The range of k the elbow chart covers. */
export const ELBOW_K = { min: 2, max: 15 } as const;

/** k until the silhouettes tell a better one. */
const START_K = 4;

/**
 * Grouping the library's images: the parameters chosen, the charts that help choose them (elbow and silhouette
 * per k, the k-distance curve), the groups found, and turning a group into a class.
 */
export class Clusters extends EngineState {
  params = $state<ClusterParams>({ method: 'kmeans', k: START_K, eps: 0.1, minPts: 4, linkage: 'ward' });
  /** The last grouping; the map colours its points by it. */
  result = $state<ClusterResult | undefined>();
  elbow = $state<ElbowPoint[] | undefined>();
  kDistance = $state<KDistance | undefined>();
  /** What making a class from each cluster did, by cluster id. */
  outcomes = $state<Record<number, ClassOutcome>>({});

  running = $state(false);
  elbowBusy = $state(false);
  kDistanceBusy = $state(false);
  /** The cluster a class is being made from, if any. */
  creating = $state<number | undefined>();

  /** The k with the highest silhouette on the elbow chart. */
  bestK = $derived(this.elbow && bestSilhouetteK(this.elbow));

  #bus: StateBus;

  constructor(client: Client, bus: StateBus) {
    super(client);
    this.#bus = bus;
  }

  async run() {
    this.running = true;
    await this.attempt(async () => {
      this.result = await this.client.invoke('clusters.run', clusterInput(this.params));
      this.outcomes = {};
    });
    this.running = false;
  }

  async loadElbow() {
    this.elbowBusy = true;
    await this.attempt(async () => {
      const first = this.elbow === undefined;
      const { points } = await this.client.invoke('clusters.elbow', { kMin: ELBOW_K.min, kMax: ELBOW_K.max });
      this.elbow = points;
      // k starts at the best silhouette, unless the person chose another k while the sweep ran.
      const best = bestSilhouetteK(points);
      if (first && best !== undefined && this.params.k === START_K) this.params.k = best;
    });
    this.elbowBusy = false;
  }

  /** The k-distance curve for the current minPts. */
  async loadKDistance() {
    this.kDistanceBusy = true;
    await this.attempt(async () => {
      this.kDistance = await this.client.invoke('clusters.kDistance', { minPts: this.params.minPts });
    });
    this.kDistanceBusy = false;
  }

  /** Takes the eps the k-distance curve suggests, with the minPts it was computed for. */
  useSuggestedEps() {
    if (!this.kDistance) return;
    this.params.eps = Number(this.kDistance.suggestedEps.toFixed(4));
    this.params.minPts = this.kDistance.minPts;
  }

  /**
   * Makes a class named `name` from cluster `id`'s images: copies them into Classes/<name>/ as references, or
   * moves them there with `move` (other classes' reference images only with `references`). Moved images are followed to their new place, so the groups stay shown.
   */
  async createClass(id: number, name: string, move: boolean, references = false): Promise<boolean> {
    const cluster = this.result?.clusters.find((c) => c.id === id);
    if (!cluster) return false;
    this.creating = id;
    const created = await this.attempt(async () => {
      const files = cluster.files;
      const outcome = await this.client.invoke('classes.fromFiles', { name, files, move, references });
      this.outcomes[id] = { ...outcome, moved: move };
      if (move && this.result) this.result = followMoves(this.result, outcome.done);
      this.#bus.emit('library-changed');
      this.#bus.emit('classes-changed');
    });
    this.creating = undefined;
    return created;
  }
}
