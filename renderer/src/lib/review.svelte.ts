import type { Client } from '../../../electron/api/client.js';
import type { CommandResult } from '../../../electron/api/contract.js';
import { describeError } from './errors.js';

export type ReviewItem = CommandResult<'review.list'>['items'][number];

/** The images waiting for a decision, and filing them. */
export class Review {
  items = $state<ReviewItem[]>([]);
  classes = $state<string[]>([]);
  error = $state<string | undefined>();
  busy = $state(false);
  /** The item the keyboard acts on. */
  current = $derived<ReviewItem | undefined>(this.items[0]);

  #client: Client;
  #changed: () => void;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** `changed` is called after an image is filed, so that other views can update their numbers. */
  constructor(client: Client, changed: () => void = () => undefined) {
    this.#client = client;
    this.#changed = changed;
  }

  /** Keeps the queue fresh while a view shows it; returns the function that stops. */
  listen(): () => void {
    const soon = () => {
      clearTimeout(this.#timer);
      this.#timer = setTimeout(() => void this.refresh(), 250);
    };
    const stops = [this.#client.on('review', soon), this.#client.on('classes', soon)];
    void this.refresh();
    return () => {
      clearTimeout(this.#timer);
      for (const stop of stops) stop();
    };
  }

  async refresh() {
    try {
      const [review, classes] = await Promise.all([
        this.#client.invoke('review.list'),
        this.#client.invoke('classes.list'),
      ]);
      this.items = review.items;
      this.classes = classes.classes.map((c) => c.name);
      this.error = undefined;
    } catch (error) {
      this.error = describeError(error);
    }
  }

  /** Files `item` under `className`: into Dataset/, or into Classes/ as a new reference image. */
  async assign(item: ReviewItem, className: string, asReference = false) {
    this.busy = true;
    try {
      await this.#client.invoke('review.assign', { file: item.file, class: className, asReference });
      this.items = this.items.filter((i) => i.file !== item.file);
      this.error = undefined;
    } catch (error) {
      this.error = describeError(error);
    } finally {
      this.busy = false;
    }
    this.#changed();
    await this.refresh();
  }
}
