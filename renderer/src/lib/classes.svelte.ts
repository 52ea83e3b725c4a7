import type { Client } from '../../../electron/api/client.js';
import type { CommandResult } from '../../../electron/api/contract.js';
import { toFailure, type Failure } from './errors.js';

export type ClassInfo = CommandResult<'classes.list'>['classes'][number];

/** The classes with their prompts, references and counts, and creating one. */
export class Classes {
  list = $state<ClassInfo[]>([]);
  error = $state<Failure | undefined>();
  /** The name of the class created last, for the view to announce. */
  created = $state<string | undefined>();

  #client: Client;
  #changed: () => void;

  /** `changed` is called after a class is created, so that other views can update. */
  constructor(client: Client, changed: () => void = () => undefined) {
    this.#client = client;
    this.#changed = changed;
  }

  listen(): () => void {
    void this.refresh();
    return this.#client.on('classes', () => void this.refresh());
  }

  async refresh() {
    try {
      this.list = (await this.#client.invoke('classes.list')).classes;
      this.error = undefined;
    } catch (error) {
      this.error = toFailure(error);
    }
  }

  /** Creates a class folder; resolves with whether it worked. */
  async create(name: string): Promise<boolean> {
    try {
      const result = await this.#client.invoke('classes.create', { name });
      this.created = result.name;
      this.#changed();
      await this.refresh();
      return true;
    } catch (error) {
      this.error = toFailure(error);
      return false;
    }
  }
}

/** The thumbnail address of a library image (the path's segments are escaped; the server checks the rest). */
export function thumbnailUrl(file: string, size = 128): string {
  return `/thumb/${file.split('/').map(encodeURIComponent).join('/')}?size=${size}`;
}
