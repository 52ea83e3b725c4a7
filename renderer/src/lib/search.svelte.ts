import type { CommandResult } from '../../../electron/api/contract/index.js';
import { EngineState } from './engineState.svelte.js';

export type SearchResult = CommandResult<'search.text'>['results'][number];

/** How many images a text search shows. */
export const SEARCH_LIMIT = 60;

/** Finding images by a description, and near-duplicate images. */
export class Search extends EngineState {
  query = $state('');
  /** The text the shown results are for. */
  searched = $state<string | undefined>();
  /** The images closest to the last text searched, best first; the map highlights them. */
  results = $state<CommandResult<'search.text'>['results'] | undefined>();
  /** Lowest cosine similarity at which two images count as near-duplicates. */
  threshold = $state(0.95);
  /** The last near-duplicate groups found; the map highlights them. */
  duplicates = $state<CommandResult<'search.duplicates'> | undefined>();

  searching = $state(false);
  finding = $state(false);

  /** Counts searches, so that an answer overtaken by a newer search is dropped. */
  #latest = 0;

  async search(text = this.query) {
    const ticket = ++this.#latest;
    const current = () => ticket === this.#latest;
    this.searching = true;
    await this.attempt(async () => {
      const { results } = await this.client.invoke('search.text', { text, limit: SEARCH_LIMIT });
      if (!current()) return;
      this.results = results;
      this.searched = text.trim();
    }, current);
    if (current()) this.searching = false;
  }

  async findDuplicates() {
    this.finding = true;
    await this.attempt(async () => {
      this.duplicates = await this.client.invoke('search.duplicates', { threshold: this.threshold });
    });
    this.finding = false;
  }
}
