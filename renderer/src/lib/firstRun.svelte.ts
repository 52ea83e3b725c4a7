import type { Client } from '../../../electron/api/client.js';
import type { CommandResult } from '../../../electron/api/contract/index.js';
import { EngineState } from './engineState.svelte.js';
import type { Model } from './model.svelte.js';
import { missingSteps } from './readiness.js';
import type { StateBus } from './stateEvents.js';

export type AppInfo = CommandResult<'app.info'>;

/**
 * Getting ready to sort: which face this is, the library (chosen or created with the system's folder picker in
 * the desktop app; fixed in the browser), and the model. The first-run view shows while a step is missing, and
 * whenever a person asks for it again.
 */
export class FirstRun extends EngineState {
  info = $state<AppInfo | undefined>();
  /** Whether the first-run view is showing. */
  active = $state(false);
  /** Whether the app's face and state are known yet. */
  loaded = $state(false);

  canSwitch = $derived(this.info?.canSwitchLibrary ?? false);

  readonly model: Model;
  #bus: StateBus;

  constructor(client: Client, model: Model, bus: StateBus) {
    super(client);
    this.model = model;
    this.#bus = bus;
  }

  /** What is still missing before sorting can start. */
  get steps() {
    return missingSteps(this.info, this.model.status);
  }

  get ready() {
    return this.steps.length === 0;
  }

  /** Reads the app's state; shows the first-run view when something is missing. */
  protected override async start() {
    await Promise.all([this.refresh(), this.model.refresh()]);
    this.loaded = true;
    if (!this.ready) this.active = true;
  }

  protected override async read() {
    this.info = await this.client.invoke('app.info');
  }

  /** Lets the person choose a folder and makes it a library (creating Images/, Classes/ and Dataset/). */
  createLibrary() {
    return this.#withFolder((path) => this.client.invoke('library.init', { path }));
  }

  /** Lets the person choose an existing library. */
  openLibrary() {
    return this.#withFolder((path) => this.client.invoke('library.open', { path }));
  }

  openRecent(path: string) {
    return this.act(() => this.client.invoke('library.open', { path }));
  }

  /** Takes a library off the recent list; the folder is not touched. */
  forget(path: string) {
    return this.act(() => this.client.invoke('library.forget', { path }));
  }

  /** Lets the person choose a model folder and imports it. */
  async importModel() {
    const path = await this.pickFolder('model');
    if (path) await this.model.importFolder(path);
  }

  /** A folder from the system's picker, or null when cancelled (desktop app only). */
  async pickFolder(purpose: 'library' | 'model' = 'library'): Promise<string | null> {
    try {
      return (await this.client.invoke('shell.pickFolder', { purpose })).path;
    } catch (error) {
      this.fail(error);
      return null;
    }
  }

  /** Shows the first-run view again (to switch libraries or see the model). */
  show() {
    this.active = true;
    void this.refresh();
    void this.model.refresh();
  }

  /** Goes on into the app, whose views then read the (maybe new) library afresh. */
  enter() {
    this.active = false;
    this.#bus.emit('entered');
  }

  async #withFolder(action: (path: string) => Promise<unknown>) {
    const path = await this.pickFolder();
    if (path) await this.act(() => action(path));
  }
}
