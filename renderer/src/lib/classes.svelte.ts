import type { Client } from '../../../electron/api/client.js';
import type { CommandResult } from '../../../electron/api/contract/index.js';
import { EngineState, type Unsubscribe } from './engineState.svelte.js';
import type { StateBus } from './stateEvents.js';

export type ClassInfo = CommandResult<'classes.list'>['classes'][number];

/** The classes with their prompts, references and counts, and creating one. */
export class Classes extends EngineState {
  list = $state<ClassInfo[]>([]);
  /** The name of the class created last, for the view to announce. */
  created = $state<string | undefined>();

  #bus: StateBus;

  constructor(client: Client, bus: StateBus) {
    super(client);
    this.#bus = bus;
  }

  /** The classes folder's changes, and classes made elsewhere on this page. */
  protected override follow(): Unsubscribe[] {
    return [
      this.client.on('classes', () => void this.refresh()),
      this.#bus.on('classes-changed', () => void this.refresh()),
    ];
  }

  protected override async read() {
    this.list = (await this.client.invoke('classes.list')).classes;
  }

  /** Creates a class folder; resolves with whether it worked. */
  async create(name: string): Promise<boolean> {
    const created = await this.attempt(async () => {
      this.created = (await this.client.invoke('classes.create', { name })).name;
      this.#bus.emit('library-changed');
    });
    if (created) await this.refresh();
    return created;
  }
}

/** The thumbnail address of a library image (the path's segments are escaped; the server checks the rest). */
export function thumbnailUrl(file: string, size = 128): string {
  return `/thumb/${file.split('/').map(encodeURIComponent).join('/')}?size=${size}`;
}
