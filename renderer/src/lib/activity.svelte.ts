import type { Client } from '../../../electron/api/client.js';
import type { CommandResult, EventData } from '../../../electron/api/contract.js';
import { describeError } from './errors.js';

type Status = CommandResult<'library.status'>;
type Move = CommandResult<'moves.recent'>['moves'][number];

/** One line of the live log. */
export type ActivityEvent =
  | { id: number; kind: 'sorted'; data: EventData<'sorted'> }
  | { id: number; kind: 'review'; data: EventData<'review'> }
  | { id: number; kind: 'error'; data: EventData<'error'> };

/** The moves of one run (one batch), newest first: what one undo takes back. */
export interface Run {
  batch: string;
  kind: Move['kind'];
  moves: Move[];
  /** Whether anything in it can still be undone. */
  undoable: boolean;
}

const LOG_LIMIT = 200;

/** The library's numbers, the sorting switch, the live event log and the recent runs with their undo. */
export class Activity {
  status = $state<Status | undefined>();
  events = $state<ActivityEvent[]>([]);
  moves = $state<Move[]>([]);
  error = $state<string | undefined>();
  busy = $state(false);

  sorting = $derived(this.status?.sorting ?? false);
  sortedTotal = $derived(this.status?.classes.reduce((sum, c) => sum + c.sorted, 0) ?? 0);
  runs = $derived(Activity.#group(this.moves));

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
      this.#client.on('sorting', () => this.#refreshSoon()),
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
        this.#client.invoke('moves.recent', { limit: 200 }),
      ]);
      this.status = status;
      this.moves = recent.moves;
      this.error = undefined;
    } catch (error) {
      this.error = describeError(error);
    }
  }

  async toggleSorting() {
    await this.#run(async () => {
      const { sorting } = await this.#client.invoke(this.sorting ? 'sort.stop' : 'sort.start');
      if (this.status) this.status.sorting = sorting;
    });
  }

  /** Puts back every move of one run. */
  async undo(batch: string) {
    await this.#run(() => this.#client.invoke('moves.undo', { batch }));
  }

  async #run(action: () => Promise<unknown>) {
    this.busy = true;
    try {
      await action();
      this.error = undefined;
    } catch (error) {
      this.error = describeError(error);
    } finally {
      this.busy = false;
      await this.refresh();
    }
  }

  #log(event: ActivityEvent) {
    this.events = [event, ...this.events].slice(0, LOG_LIMIT);
    this.#refreshSoon();
  }

  /** Events come in bursts while sorting: refresh the numbers once per burst. */
  #refreshSoon() {
    clearTimeout(this.#refreshTimer);
    this.#refreshTimer = setTimeout(() => void this.refresh(), 250);
  }

  static #group(moves: Move[]): Run[] {
    // A local index built and dropped in one call: nothing observes it, so a plain Map is right.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const runs = new Map<string, Run>();
    for (const move of moves) {
      let run = runs.get(move.batch);
      if (!run)
        runs.set(move.batch, (run = { batch: move.batch, kind: move.kind, moves: [], undoable: false }));
      run.moves.push(move);
      if (move.state === 'done' && move.kind !== 'undo') run.undoable = true;
    }
    return [...runs.values()];
  }
}
