import type { Client } from '../../../electron/api/client.js';
import type { CommandResult } from '../../../electron/api/contract/index.js';
import { EngineState, type Unsubscribe } from './engineState.svelte.js';
import { moveIndex } from './reviewKeys.js';
import type { StateBus } from './stateEvents.js';

export type ReviewItem = CommandResult<'review.list'>['items'][number];

/** The images waiting for a decision, the one the keyboard acts on, and filing them. */
export class Review extends EngineState {
  items = $state<ReviewItem[]>([]);
  classes = $state<string[]>([]);
  /** What the last filing or undo did, for the view to announce. */
  lastChange = $state<{ from: string; to: string; undo: boolean } | undefined>();
  /** The images this page filed, last last, each with the batch that puts it back. */
  filed = $state<{ to: string; batch: string }[]>([]);
  /** Why the last undo put nothing back (the engine's reason, '' where it gave none); undefined after one that did. */
  notPutBack = $state<string | undefined>();
  /** The file of the current item (the first while none was chosen, or after it left the list). */
  selected = $state<string | undefined>();
  /** The class picked in each item's list, by file; the best class where none was picked. */
  chosen = $state<Record<string, string>>({});
  /**
   * The image this page filed last, when it went into another class than sorting suggested: a correction,
   * offered as a reference of that class, since it is what the class's references missed.
   */
  corrected = $state<{ file: string; class: string; suggested: string } | undefined>();

  currentIndex = $derived(
    Math.max(
      0,
      this.items.findIndex((i) => i.file === this.selected),
    ),
  );
  /** The item the keyboard acts on. */
  current = $derived<ReviewItem | undefined>(this.items[this.currentIndex]);

  #bus: StateBus;

  constructor(client: Client, bus: StateBus) {
    super(client);
    this.#bus = bus;
  }

  /**
   * New images to review and changed classes keep the queue fresh, and so do images filed or put back from
   * elsewhere on the page (a sort again files waiting images without a `review` event), once this state's own
   * filing has answered.
   */
  protected override follow(): Unsubscribe[] {
    const soon = () => this.refreshSoon(250);
    return [
      this.client.on('review', soon),
      this.client.on('classes', soon),
      this.#bus.on('library-changed', () => this.refreshSoon(250, true)),
    ];
  }

  protected override async read() {
    const [review, classes] = await Promise.all([
      this.client.invoke('review.list'),
      this.client.invoke('classes.list'),
    ]);
    this.items = review.items;
    this.classes = classes.classes.map((c) => c.name);
  }

  /** The class an item would be filed under without a number key: the one picked, else its best ('' for none). */
  choice(item: ReviewItem): string {
    return this.chosen[item.file] ?? item.best ?? '';
  }

  choose(item: ReviewItem, className: string) {
    this.chosen[item.file] = className;
  }

  /** Makes another item current: one step, or the first or last. */
  move(to: 'previous' | 'next' | 'first' | 'last') {
    this.selected = this.items[moveIndex(this.currentIndex, this.items.length, to)]?.file;
  }

  select(item: ReviewItem) {
    this.selected = item.file;
  }

  /** Files `item` under `className`: into Dataset/, or into Classes/ as a new reference image. */
  async assign(item: ReviewItem, className: string, asReference = false) {
    if (!className) return;
    await this.act(async () => {
      try {
        const filed = await this.client.invoke('review.assign', {
          file: item.file,
          class: className,
          asReference,
        });
        // The next image becomes current, so that a person can keep going with the keyboard.
        const index = this.items.findIndex((i) => i.file === item.file);
        if (item.file === this.current?.file) {
          this.selected = (this.items[index + 1] ?? this.items[index - 1])?.file;
        }
        this.items = this.items.filter((i) => i.file !== item.file);
        delete this.chosen[item.file];
        this.lastChange = { from: filed.file, to: filed.to, undo: false };
        if (filed.batch) this.filed.push({ to: filed.to, batch: filed.batch });
        const { best } = item;
        const correction = !asReference && best && best !== className;
        this.corrected = correction ? { file: filed.to, class: className, suggested: best } : undefined;
      } finally {
        this.#bus.emit('library-changed');
      }
    });
  }

  /** Moves the image corrected last from Dataset/ into its class's references, as one more move undo takes back. */
  async adopt() {
    const corrected = this.corrected;
    if (!corrected) return;
    await this.act(async () => {
      try {
        const filed = await this.client.invoke('review.assign', {
          file: corrected.file,
          class: corrected.class,
          asReference: true,
        });
        this.corrected = undefined;
        this.lastChange = { from: filed.file, to: filed.to, undo: false };
        if (filed.batch) this.filed.push({ to: filed.to, batch: filed.batch });
      } finally {
        this.#bus.emit('library-changed');
        this.#bus.emit('classes-changed');
      }
    });
  }

  /**
   * Puts back the image this page filed last, by its move's batch, so that nothing else is undone; it waits for
   * review again, as the current image.
   */
  async undo() {
    const last = this.filed.pop();
    if (!last) return;
    this.corrected = undefined;
    await this.act(async () => {
      try {
        const report = await this.client.invoke('moves.undo', { batch: last.batch });
        const back = report.restored[0];
        // Changed or moved on since it was filed: it stays where it is, and the page says why.
        this.notPutBack = back ? undefined : (report.skipped[0]?.reason ?? '');
        if (back) {
          this.selected = back.to;
          this.lastChange = { from: back.from, to: back.to, undo: true };
        }
      } finally {
        this.#bus.emit('library-changed');
      }
    });
  }
}
