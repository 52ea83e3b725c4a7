/**
 * Turns bursts of events under `Classes/` into one "the classes changed" call, made once the folder has settled:
 * after `debounceMs` without events, its fingerprint must be the same in two looks `stableMs` apart. Events only
 * say when to look, so a lost event costs latency (until the next rescan), never a missed change.
 */
import { ClipSortError, errorMessage } from '../errors.js';
import { classesFingerprint } from './classesFingerprint.js';

export interface ClassesChangesOptions {
  /** The `Classes/` folder. */
  dir: string;
  debounceMs: number;
  stableMs: number;
  onChanged(): void;
  onNotice(message: string): void;
  onError(error: Error): void;
}

/** Watches the fingerprint of the classes; see the file comment. */
export class ClassesChanges {
  readonly #options: ClassesChangesOptions;
  /** The fingerprint the consumer last heard about (the one at start counts as heard). */
  #current: string | null = null;
  /** The fingerprint the last look saw, and since when. */
  #seen: string | null = null;
  #seenSince = 0;
  #missing = false;
  #timer: NodeJS.Timeout | undefined;
  #looking: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(options: ClassesChangesOptions) {
    this.#options = options;
  }

  /** Takes the fingerprint the consumer starts from. */
  async start(): Promise<void> {
    const fingerprint = await this.#fingerprint();
    if (fingerprint === undefined) return;
    this.#current = this.#seen = fingerprint;
    this.#seenSince = Date.now();
  }

  /** Something under `Classes/` changed: look once events have stopped for `debounceMs`. */
  hint(): void {
    this.#lookIn(this.#options.debounceMs, true);
  }

  /** Looks now (a rescan: events may have been lost). */
  async check(): Promise<void> {
    await this.#enqueueLook();
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#looking;
  }

  #lookIn(delayMs: number, restart: boolean): void {
    if (this.#closed || (this.#timer && !restart)) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#enqueueLook();
    }, delayMs);
  }

  #enqueueLook(): Promise<void> {
    this.#looking = this.#looking
      .then(() => this.#look())
      .catch((error: unknown) => {
        if (!this.#closed) this.#options.onError(error instanceof Error ? error : new Error(String(error)));
      });
    return this.#looking;
  }

  async #look(): Promise<void> {
    if (this.#closed) return;
    const fingerprint = await this.#fingerprint();
    if (fingerprint === undefined || fingerprint === null || this.#closed) return;
    const now = Date.now();
    if (fingerprint !== this.#seen) {
      this.#seen = fingerprint;
      this.#seenSince = now;
    }
    if (fingerprint === this.#current) return;
    const settledIn = this.#seenSince + this.#options.stableMs - now;
    if (settledIn > 0) {
      this.#lookIn(settledIn, false);
      return;
    }
    this.#current = fingerprint;
    try {
      this.#options.onChanged();
    } catch (error) {
      this.#options.onError(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** The fingerprint; `null` when the folder is missing (said once), `undefined` when it cannot be read. */
  async #fingerprint(): Promise<string | null | undefined> {
    const { dir } = this.#options;
    let fingerprint;
    try {
      fingerprint = await classesFingerprint(dir);
    } catch (error) {
      if (!this.#closed) {
        this.#options.onError(
          new ClipSortError(
            'folder-unreadable',
            `The folder ${dir} cannot be read (${errorMessage(error)}).`,
            {
              cause: error,
            },
          ),
        );
      }
      return undefined;
    }
    if (this.#closed) return undefined;
    if (fingerprint === null && !this.#missing) {
      this.#options.onNotice(
        `The Classes folder ${dir} is missing; the classes are left as they were until it is back.`,
      );
    } else if (fingerprint !== null && this.#missing) {
      this.#options.onNotice(`The Classes folder ${dir} is back.`);
    }
    this.#missing = fingerprint === null;
    return fingerprint;
  }
}
