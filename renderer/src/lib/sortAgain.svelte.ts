import type { Client } from '../../../electron/api/client.js';
import { EngineState } from './engineState.svelte.js';
import { countOutcome, type SortAgainOutcome } from './sortAgainOutcome.js';
import type { StateBus } from './stateEvents.js';

/**
 * Sorting again: every image waiting for review decided again by today's classes and settings (those that now
 * clear are filed, those put back by an undo too; the rest keep waiting with fresh suggestions), and what it did.
 * One state for every view that offers it, so that it shows as running, and its outcome, wherever it is offered.
 * It holds only what the action returns: nothing to read or follow.
 */
export class SortAgain extends EngineState {
  /** What the last sort again did; none while one runs. */
  outcome = $state<SortAgainOutcome | undefined>();

  #bus: StateBus;

  constructor(client: Client, bus: StateBus) {
    super(client);
    this.#bus = bus;
  }

  async run() {
    if (this.busy) return;
    this.outcome = undefined;
    await this.act(async () => {
      try {
        this.outcome = countOutcome(await this.client.invoke('sort.pass', { recheck: true }));
      } finally {
        // Images may have been filed even where the pass failed part way.
        this.#bus.emit('library-changed');
      }
    });
  }
}
