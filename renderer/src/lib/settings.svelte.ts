import type { Client } from '../../../electron/api/client.js';
import type { CommandInput, CommandResult } from '../../../electron/api/contract.js';
import { toFailure, type Failure } from './errors.js';

export type SortSettings = CommandResult<'settings.get'>;
export type SettingsChange = CommandInput<'settings.set'>;

/** Which form a change came from, so that each says "saved" for itself. */
export type SettingsPart = 'sorting' | 'performance';

/** How images are classified and decided, and where and with how many threads the model runs. */
export class Settings {
  current = $state<SortSettings | undefined>();
  error = $state<Failure | undefined>();
  /** The form whose change was saved last (cleared by the next change). */
  saved = $state<SettingsPart | undefined>();
  saving = $state(false);

  #client: Client;

  constructor(client: Client) {
    this.#client = client;
  }

  async load() {
    try {
      this.current = await this.#client.invoke('settings.get');
      this.error = undefined;
    } catch (error) {
      this.error = toFailure(error);
    }
  }

  /** Saves `change`; sorting restarts with it, and the model reloads for new threads or provider. */
  async save(change: SettingsChange, part: SettingsPart) {
    this.saved = undefined;
    this.saving = true;
    try {
      this.current = await this.#client.invoke('settings.set', change);
      this.error = undefined;
      this.saved = part;
    } catch (error) {
      this.error = toFailure(error);
      // A refused change (an unavailable provider) keeps the previous settings: show those again.
      await this.#client.invoke('settings.get').then(
        (current) => (this.current = current),
        () => undefined,
      );
    } finally {
      this.saving = false;
    }
  }
}
