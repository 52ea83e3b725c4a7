import type { Client } from '../../../electron/api/client.js';
import type { CommandInput, CommandResult } from '../../../electron/api/contract.js';
import { describeError } from './errors.js';

export type SortSettings = CommandResult<'settings.get'>;

/** How images are classified and decided. */
export class Settings {
  current = $state<SortSettings | undefined>();
  error = $state<string | undefined>();
  saved = $state(false);

  #client: Client;

  constructor(client: Client) {
    this.#client = client;
  }

  async load() {
    try {
      this.current = await this.#client.invoke('settings.get');
      this.error = undefined;
    } catch (error) {
      this.error = describeError(error);
    }
  }

  async save(change: CommandInput<'settings.set'>) {
    this.saved = false;
    try {
      this.current = await this.#client.invoke('settings.set', change);
      this.error = undefined;
      this.saved = true;
    } catch (error) {
      this.error = describeError(error);
    }
  }
}
