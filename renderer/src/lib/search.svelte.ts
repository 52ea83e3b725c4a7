import type { Client } from '../../../electron/api/client.js';
import type { CommandResult } from '../../../electron/api/contract/index.js';
import { EngineState } from './engineState.svelte.js';
import type { StateBus } from './stateEvents.js';

export type SearchResult = CommandResult<'search.text'>['results'][number];

/** How many images a text search shows at most. */
export const SEARCH_LIMIT = 60;

/** What moving one search result into a class did: where it went, or why it stayed. */
export type ResultMove = { file: string; className: string } & (
  { to: string; batch: string | null } | { reason: string }
);

/** Finding images by a description or by another image, and near-duplicate images. */
export class Search extends EngineState {
  query = $state('');
  /** The text the shown results are for, or undefined when they are for an image (`like`). */
  searched = $state<string | undefined>();
  /** The image the shown results are like, when they came from "similar images". */
  like = $state<string | undefined>();
  /** The images closest to the last text searched, best first; the map highlights them. */
  results = $state<CommandResult<'search.text'>['results'] | undefined>();
  /** How many images the relevance cut left out of `results`; 0 once they are all shown. */
  cut = $state(0);
  /** Whether `results` lists every image up to the limit, the barely related too. */
  all = $state(false);
  /** What the last move of a result did. */
  moved = $state<ResultMove | undefined>();
  /** Lowest cosine similarity at which two images count as near-duplicates. */
  threshold = $state(0.95);
  /** The last near-duplicate groups found; the map highlights them. */
  duplicates = $state<CommandResult<'search.duplicates'> | undefined>();

  searching = $state(false);
  finding = $state(false);

  #bus: StateBus;
  /** Counts searches, so that an answer overtaken by a newer search is dropped. */
  #latest = 0;

  constructor(client: Client, bus: StateBus) {
    super(client);
    this.#bus = bus;
  }

  /** Searches `text`, down to the relevance cut unless `all`. */
  search(text = this.query, all = false) {
    return this.#find(all, { searched: text.trim(), like: undefined }, () =>
      this.client.invoke('search.text', { text, limit: SEARCH_LIMIT, all }),
    );
  }

  /** Finds the images most like `file` (a library path), down to the relevance cut unless `all`. */
  similar(file: string, all = false) {
    return this.#find(all, { searched: undefined, like: file }, () =>
      this.client.invoke('search.similar', { file, limit: SEARCH_LIMIT, all }),
    );
  }

  /** Runs one search and shows its results, unless a newer search has started meanwhile. */
  async #find(
    all: boolean,
    by: { searched: string | undefined; like: string | undefined },
    run: () => Promise<Pick<CommandResult<'search.text'>, 'results' | 'cut'>>,
  ) {
    const ticket = ++this.#latest;
    const current = () => ticket === this.#latest;
    this.searching = true;
    await this.attempt(async () => {
      const found = await run();
      if (!current()) return;
      [this.results, this.cut, this.all] = [found.results, found.cut, all];
      [this.searched, this.like] = [by.searched, by.like];
      this.moved = undefined;
    }, current);
    if (current()) this.searching = false;
  }

  /** Lists the images the relevance cut left out too, for the last text or image searched by. */
  showAll() {
    if (this.like !== undefined) return this.similar(this.like, true);
    if (this.searched !== undefined) return this.search(this.searched, true);
  }

  /**
   * Moves one result into `Dataset/<className>/` (a reference image only with `references`); the result
   * follows it to where it went.
   */
  async move(file: string, className: string, references = false) {
    this.busy = true;
    await this.attempt(async () => {
      const outcome = await this.client.invoke('files.move', {
        files: [file],
        class: className,
        references,
        via: 'search',
      });
      const done = outcome.done[0];
      if (done) {
        this.results = this.results?.map((r) => (r.file === file ? { ...r, file: done.to } : r));
        this.moved = { file, className, to: done.to, batch: outcome.batch };
      } else {
        this.moved = { file, className, reason: outcome.skipped[0]?.reason ?? '' };
      }
      this.#bus.emit('library-changed');
    });
    this.busy = false;
  }

  async findDuplicates() {
    this.finding = true;
    await this.attempt(async () => {
      this.duplicates = await this.client.invoke('search.duplicates', { threshold: this.threshold });
    });
    this.finding = false;
  }
}
