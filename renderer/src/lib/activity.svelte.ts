import type { Client } from '../../../electron/api/client.js';
import type { CommandResult, EventData } from '../../../electron/api/contract/index.js';
import { EngineState, type Unsubscribe } from './engineState.svelte.js';
import { filedEarlier, groupRuns, type Move } from './moveHistory.js';
import type { StateBus } from './stateEvents.js';

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
const EARLIER_LIMIT = 20;
const RECENT_MOVES = 200;

/**
 * The library's numbers, the sorting switch and its live progress, the event log, and the recent moves with
 * undo by run or by image.
 */
export class Activity extends EngineState {
  status = $state<Status | undefined>();
  events = $state<ActivityEvent[]>([]);
  moves = $state<Move[]>([]);
  /** The sorter's counts since sorting started, and its recent rate. */
  progress = $state<EventData<'progress'> | undefined>();
  /** What the last undo did: the images put back and those left where they were, with why. */
  lastUndo = $state<UndoResult | undefined>();

  sorting = $derived(this.status?.sorting ?? false);
  sortedTotal = $derived(this.status?.classes.reduce((sum, c) => sum + c.sorted, 0) ?? 0);
  runs = $derived(groupRuns(this.moves));
  /** What was filed before the page opened, for "what just happened" until something happens. */
  earlier = $derived(filedEarlier(this.moves, EARLIER_LIMIT));

  #bus: StateBus;
  #nextId = 1;

  constructor(client: Client, bus: StateBus) {
    super(client);
    this.#bus = bus;
  }

  /** The engine's events, and what other states changed in the library or which library was entered. */
  protected override follow(): Unsubscribe[] {
    return [
      this.client.on('sorted', (data) => this.#log({ id: this.#nextId++, kind: 'sorted', data })),
      this.client.on('review', (data) => this.#log({ id: this.#nextId++, kind: 'review', data })),
      this.client.on('error', (data) => this.#log({ id: this.#nextId++, kind: 'error', data })),
      this.client.on('notice', (data) => this.#log({ id: this.#nextId++, kind: 'notice', data })),
      this.client.on('progress', (data) => (this.progress = data)),
      this.client.on('sorting', ({ sorting }) => {
        // A new run counts from zero.
        if (sorting) this.progress = undefined;
        this.#refreshSoon();
      }),
      this.client.on('classes', () => this.#refreshSoon()),
      this.#bus.on('library-changed', () => void this.refresh()),
      this.#bus.on('entered', () => void this.refresh()),
    ];
  }

  protected override async read() {
    const [status, recent] = await Promise.all([
      this.client.invoke('library.status'),
      this.client.invoke('moves.recent', { limit: RECENT_MOVES }),
    ]);
    this.status = status;
    this.moves = recent.moves;
  }

  async toggleSorting() {
    await this.act(async () => {
      if (!this.sorting) this.progress = undefined;
      const { sorting } = await this.client.invoke(this.sorting ? 'sort.stop' : 'sort.start');
      if (this.status) this.status.sorting = sorting;
    });
  }

  /** Puts back every move of one run. */
  async undoRun(batch: string) {
    await this.act(async () => (this.lastUndo = await this.client.invoke('moves.undo', { batch })));
  }

  /** Puts back the images of the moves `ids` only (say, one wrongly sorted image). */
  async undoMoves(ids: number[]) {
    await this.act(async () => (this.lastUndo = await this.client.invoke('moves.undo', { ids })));
  }

  #log(event: ActivityEvent) {
    this.events = [event, ...this.events].slice(0, LOG_LIMIT);
    if (event.kind === 'sorted') this.#countSorted(event.data.class);
    this.#refreshSoon();
  }

  /**
   * A sorted image left the inbox for its class: the numbers follow at once, while sorting goes on (the refresh
   * comes only once a burst of events is over, and corrects them then).
   */
  #countSorted(className: string) {
    const status = this.status;
    if (!status) return;
    status.inbox = Math.max(0, status.inbox - 1);
    const counted = status.classes.find((c) => c.name === className);
    if (counted) counted.sorted += 1;
  }

  /**
   * Events come in bursts while sorting: refresh the numbers once per burst. Not while an undo runs: its moves are
   * half done until it answers, and the refresh after it shows them settled.
   */
  #refreshSoon() {
    this.refreshSoon(250, true);
  }
}
