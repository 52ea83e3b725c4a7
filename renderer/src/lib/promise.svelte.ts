import type { Client } from '../../../electron/api/client.js';
import type { CommandResult } from '../../../electron/api/contract/index.js';
import { EngineState, type Unsubscribe } from './engineState.svelte.js';
import type { StateBus } from './stateEvents.js';

export type PromiseReport = CommandResult<'eval.promise'>;
export type Calibration = NonNullable<PromiseReport['calibration']>;

/** A burst of decisions (a review session) costs one calibration. */
const SETTLE_MS = 400;

/**
 * What the library's decisions promise: how much sorting files and how often it may be wrong, on how many
 * labelled photos, and what people corrected. Read again when a person's decision on this page adds a label, and
 * when the classes or the settings change.
 */
export class SortPromise extends EngineState {
  report = $state<PromiseReport | undefined>();

  #bus: StateBus;

  constructor(client: Client, bus: StateBus) {
    super(client);
    this.#bus = bus;
  }

  protected override follow(): Unsubscribe[] {
    const soon = () => this.refreshSoon(SETTLE_MS);
    return [
      this.client.on('classes', soon),
      this.#bus.on('library-changed', soon),
      this.#bus.on('classes-changed', soon),
      this.#bus.on('settings-changed', soon),
    ];
  }

  protected override async read() {
    this.report = await this.client.invoke('eval.promise');
  }
}
