import type { CommandInput, CommandResult } from '../../../electron/api/contract/index.js';
import type { Client } from '../../../electron/api/client.js';
import { EngineState } from './engineState.svelte.js';
import type { StateBus } from './stateEvents.js';

export type SortSettings = CommandResult<'settings.get'>;
export type SettingsChange = CommandInput<'settings.set'>;

/** Which form a change came from, so that each says "saved" for itself. */
export type SettingsPart = 'sorting' | 'performance';

/** How images are classified and decided, and where and with how many threads the model runs. */
export class Settings extends EngineState {
  current = $state<SortSettings | undefined>();
  /** The form whose change was saved last (cleared by the next change). */
  saved = $state<SettingsPart | undefined>();
  saving = $state(false);

  #bus: StateBus;

  constructor(client: Client, bus: StateBus) {
    super(client);
    this.#bus = bus;
  }

  protected override async read() {
    this.current = await this.client.invoke('settings.get');
  }

  /** Saves `change`; sorting restarts with it, and the model reloads for new threads or provider. */
  async save(change: SettingsChange, part: SettingsPart) {
    this.saved = undefined;
    this.saving = true;
    const saved = await this.attempt(async () => {
      this.current = await this.client.invoke('settings.set', change);
      this.saved = part;
      this.#bus.emit('settings-changed');
    });
    // A refused change (an unavailable provider) keeps the previous settings: show those again.
    if (!saved) await this.read().catch(() => undefined);
    this.saving = false;
  }
}
