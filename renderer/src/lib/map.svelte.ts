import type { Client } from '../../../electron/api/client.js';
import type { CommandResult, PROJECTIONS } from '../../../electron/api/contract/index.js';
import { unpackMapPoints, type MapPoint } from '../../../electron/api/contract/mapPoints.js';
import { EngineState, type Unsubscribe } from './engineState.svelte.js';
import type { ColourMode } from './map/colours.js';
import type { HighlightMode } from './map/highlights.js';
import { combineSelection, indicesOfFiles, NONE, summariseSelection, type Combine } from './map/selection.js';
import type { StateBus } from './stateEvents.js';

type MapAnswer = CommandResult<'map.points'>;
/** A projection as the page shows it: the records unpacked into points with their files. */
export type MapResult = Pick<MapAnswer, 'method' | 'seed' | 'total' | 'fitted' | 'cached' | 'explained'> & {
  points: MapPoint[];
};
export type Projection = (typeof PROJECTIONS)[number];

/** What the last action on a selection did. */
export type SelectionOutcome = {
  className: string;
  done: number;
  skipped: { file: string; reason: string }[];
} & (
  | { action: 'move'; batch: string | null; undone: boolean }
  | { action: 'create'; folder: string; created: boolean }
);

/**
 * The library's map: its 2D projection, how it is coloured, the points chosen on it, and what can be done with
 * them (file them into a class, or make a class of them).
 */
export class LibraryMap extends EngineState {
  method = $state<Projection>('pca');
  result = $state.raw<MapResult | undefined>();
  loading = $state(false);
  /** The library changed (images sorted, classes edited) since the map was loaded. */
  stale = $state(false);
  colourBy = $state<ColourMode>('class');
  highlight = $state<HighlightMode>('none');
  /** Indices into `result.points`. */
  selection = $state.raw<ReadonlySet<number>>(NONE);
  outcome = $state<SelectionOutcome | undefined>();

  selectedFiles = $derived(this.#files(this.selection));
  summary = $derived(summariseSelection(this.result?.points ?? [], this.selection));

  #bus: StateBus;
  /** Bumped by every load, so that only the latest answer is shown. */
  #request = 0;
  /** Files another view sent a person to, to select once the map is loaded. */
  #focus: readonly string[] | undefined;
  /** The file names of the last answer, kept because they come again only when they change. */
  #names: { key: string; files: string[] } | undefined;

  constructor(client: Client, bus: StateBus) {
    super(client);
    this.#bus = bus;
  }

  /** Notes when the library changes while the map is shown: images sorted or read, classes edited. */
  protected override follow(): Unsubscribe[] {
    const changed = () => {
      if (this.result) this.stale = true;
    };
    return (['sorted', 'review', 'classes'] as const).map((event) => this.client.on(event, changed));
  }

  /**
   * Reading the map again is loading the projection shown (the server keeps projections until the embeddings
   * change, so this is cheap when nothing did).
   */
  override refresh() {
    return this.load();
  }

  /** Loads the projection by `method`; the selection follows its files onto the new points. */
  async load(method: Projection = this.method) {
    const request = ++this.#request;
    const current = () => request === this.#request;
    this.method = method;
    this.loading = true;
    await this.attempt(async () => {
      const answer = await this.client.invoke('map.points', { method, filesKey: this.#names?.key });
      if (!current()) return;
      const files = answer.files ?? this.#names?.files;
      if (!files) throw new Error('map.points sent no file names for a key this page does not hold');
      this.#names = { key: answer.filesKey, files };
      const { seed, total, fitted, cached, explained } = answer;
      const points = unpackMapPoints(answer, files);
      const result = { method: answer.method, seed, total, fitted, cached, explained, points };
      const chosen = this.#focus ?? this.selectedFiles;
      this.result = result;
      this.selection = indicesOfFiles(result.points, chosen);
      this.#focus = undefined;
      this.stale = false;
    }, current);
    if (current()) this.loading = false;
  }

  /** Selects `files` (another view's images) with the search results highlighted, now and on the next load. */
  focus(files: readonly string[]) {
    this.#focus = files;
    this.highlight = 'search';
    if (this.result) this.selection = indicesOfFiles(this.result.points, files);
  }

  select(indices: Iterable<number>, how: Combine = 'replace') {
    this.selection = combineSelection(this.selection, indices, how);
  }

  clearSelection() {
    if (this.selection.size > 0) this.selection = NONE;
  }

  /**
   * Moves the selected images into `Dataset/<className>/`, as one batch that can be undone; selected reference
   * images go too only with `references`, and are otherwise reported as skipped.
   */
  async moveSelection(className: string, references = false) {
    await this.#act(async (files) => {
      const moved = await this.client.invoke('files.move', { files, class: className, references });
      return { action: 'move', className, batch: moved.batch, undone: false, ...counted(moved) };
    });
  }

  /** Copies the selected images into `Classes/<name>/` as the references of a new (or existing) class. */
  async createClass(name: string) {
    await this.#act(async (files) => {
      const made = await this.client.invoke('classes.fromFiles', { name, files });
      this.#bus.emit('classes-changed');
      return {
        action: 'create',
        className: made.name,
        folder: made.folder,
        created: made.created,
        ...counted(made),
      };
    });
  }

  /** Puts back what the last move put away. */
  async undoMove() {
    const outcome = this.outcome;
    if (outcome?.action !== 'move' || outcome.batch === null || outcome.undone) return;
    const { batch } = outcome;
    await this.#change(async () => {
      await this.client.invoke('moves.undo', { batch });
      this.outcome = { ...outcome, undone: true };
    });
  }

  async #act(run: (files: string[]) => Promise<SelectionOutcome>) {
    const files = this.selectedFiles;
    if (files.length === 0 || this.busy) return;
    await this.#change(async () => {
      this.outcome = await run(files);
      this.selection = NONE;
    });
  }

  /** Moves or copies images with `action`, then tells the other states and loads the map again. */
  async #change(action: () => Promise<void>) {
    this.busy = true;
    await this.attempt(action);
    this.busy = false;
    this.#bus.emit('library-changed');
    await this.load();
  }

  #files(selection: ReadonlySet<number>): string[] {
    const points = this.result?.points ?? [];
    return [...selection].flatMap((i) => (points[i] ? [points[i].file] : []));
  }
}

const counted = (outcome: { done: unknown[]; skipped: { file: string; reason: string }[] }) => ({
  done: outcome.done.length,
  skipped: outcome.skipped,
});
