import type { Client } from '../../../electron/api/client.js';
import type { CommandResult, EventData } from '../../../electron/api/contract.js';
import { toFailure, type Failure } from './errors.js';
import { groupRuns, type Move } from './moveHistory.js';

type Status = CommandResult<'library.status'>;
type UndoResult = CommandResult<'moves.undo'>;

export type { Run, ShownMove } from './moveHistory.js';

/** One line of the live log. */
export type ActivityEvent =
  | { id: number; kind: 'sorted'; data: EventData<'sorted'> }
  | { id: number; kind: 'review'; data: EventData<'review'> }
  | { id: number; kind: 'error'; data: EventData<'error'> }
  | { id: number; kind: 'notice'; data: EventData<'notice'> };

const LOG_LIMIT = 200;
const RECENT_MOVES = 200;

/**
 * The library's numbers, the sorting switch and its live progress, the event log, and the recent moves with
 * undo by run or by image.
 */
export class Activity {
  status = $state<Status | undefined>();
  events = $state<ActivityEvent[]>([]);
  moves = $state<Move[]>([]);
  /** The sorter's counts since sorting started, and its recent rate. */
  progress = $state<EventData<'progress'> | undefined>();
  /** What the last undo did: the images put back and those left where they were, with why. */
  lastUndo = $state<UndoResult | undefined>();
  error = $state<Failure | undefined>();
  busy = $state(false);

  sorting = $derived(this.status?.sorting ?? false);
  sortedTotal = $derived(this.status?.classes.reduce((sum, c) => sum + c.sorted, 0) ?? 0);
  runs = $derived(groupRuns(this.moves));

  #client: Client;
  #nextId = 1;
  #refreshTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(client: Client) {
    this.#client = client;
  }

  /** Starts listening to the engine; returns the function that stops. */
  listen(): () => void {
    const stops = [
      this.#client.on('sorted', (data) => this.#log({ id: this.#nextId++, kind: 'sorted', data })),
      this.#client.on('review', (data) => this.#log({ id: this.#nextId++, kind: 'review', data })),
      this.#client.on('error', (data) => this.#log({ id: this.#nextId++, kind: 'error', data })),
      this.#client.on('notice', (data) => this.#log({ id: this.#nextId++, kind: 'notice', data })),
      this.#client.on('progress', (data) => (this.progress = data)),
      this.#client.on('sorting', ({ sorting }) => {
        // A new run counts from zero.
        if (sorting) this.progress = undefined;
        this.#refreshSoon();
      }),
      this.#client.on('classes', () => this.#refreshSoon()),
    ];
    void this.refresh();
    return () => {
      clearTimeout(this.#refreshTimer);
      for (const stop of stops) stop();
    };
  }

  async refresh() {
    try {
      const [status, recent] = await Promise.all([
        this.#client.invoke('library.status'),
        this.#client.invoke('moves.recent', { limit: RECENT_MOVES }),
      ]);
      this.status = status;
      this.moves = recent.moves;
      this.error = undefined;
    } catch (error) {
      this.error = toFailure(error);
    }
  }

  async toggleSorting() {
    await this.#run(async () => {
      if (!this.sorting) this.progress = undefined;
      const { sorting } = await this.#client.invoke(this.sorting ? 'sort.stop' : 'sort.start');
      if (this.status) this.status.sorting = sorting;
    });
  }

  /** Puts back every move of one run. */
  async undoRun(batch: string) {
    await this.#run(async () => (this.lastUndo = await this.#client.invoke('moves.undo', { batch })));
  }

  /** Puts back the images of the moves `ids` only (say, one wrongly sorted image). */
  async undoMoves(ids: number[]) {
    await this.#run(async () => (this.lastUndo = await this.#client.invoke('moves.undo', { ids })));
  }

  /** Runs a person's action, then reads the state again; the action's failure outlives the refresh. */
  async #run(action: () => Promise<unknown>) {
    this.busy = true;
    let failure: Failure | undefined;
    try {
      await action();
    } catch (error) {
      failure = toFailure(error);
    }
    await this.refresh();
    if (failure) this.error = failure;
    this.busy = false;
  }

  #log(event: ActivityEvent) {
    this.events = [event, ...this.events].slice(0, LOG_LIMIT);
    this.#refreshSoon();
  }

  /**
   * Events come in bursts while sorting: refresh the numbers once per burst. Not while an undo runs: its moves are
   * half done until it answers, and the refresh after it shows them settled.
   */
  #refreshSoon() {
    clearTimeout(this.#refreshTimer);
    this.#refreshTimer = setTimeout(() => (this.busy ? this.#refreshSoon() : void this.refresh()), 250);
  }
}
