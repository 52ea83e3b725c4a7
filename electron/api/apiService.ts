import { ClipSortError } from '../engine/errors.js';
import { initLibrary } from '../engine/library/initLibrary.js';
import type { WatchLibraryOptions } from '../engine/watch/libraryWatcher.js';
import type { ApiEvent, EventData, EventName } from './contract.js';
import { dispatch, type Outcome } from './dispatch.js';
import { LibrarySession } from './librarySession.js';
import { ModelHolder, type ModelHolderOptions } from './modelHolder.js';

export interface ApiServiceOptions {
  model?: ModelHolderOptions;
  /**
   * Whether `library.open` and `library.init` may open another library. The desktop app may; `clipsort serve`
   * serves the one library it was started on, so that a page cannot reach other folders of the computer.
   */
  allowLibrarySwitch?: boolean;
  /** Watcher timings (tests shorten them). */
  watch?: WatchLibraryOptions;
  /** Where unexpected failures are reported with their stack (they reach the face as `internal`). */
  onInternalError?: (error: unknown) => void;
}

/**
 * What every face talks to: the open library, the model, and the event stream. Commands arrive through
 * `invoke`, are validated against the contract and run by the handler table.
 */
export class ApiService {
  readonly model: ModelHolder;
  private session?: LibrarySession;
  private readonly listeners = new Set<(event: ApiEvent) => void>();

  constructor(readonly options: ApiServiceOptions = {}) {
    this.model = new ModelHolder(options.model ?? {}, (status) => this.emit('model', status));
  }

  /** An API over `library`, opened now. */
  static async open(library: string, options: ApiServiceOptions = {}): Promise<ApiService> {
    const api = new ApiService(options);
    api.session = await api.openSession(library);
    return api;
  }

  /** Runs a command from a face: `name` and `input` are untrusted until validated. */
  invoke(name: unknown, input: unknown): Promise<Outcome> {
    return dispatch(this, name, input);
  }

  /** Listens to every event; returns the function that stops listening. */
  subscribe(listener: (event: ApiEvent) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** Pushes one event to every listener. */
  emit = <E extends EventName>(event: E, data: EventData<E>): void => {
    const message = { event, data } as ApiEvent;
    for (const listener of this.listeners) listener(message);
  };

  /** The open library, or a `no-library` error a face can show. */
  library(): LibrarySession {
    if (!this.session) throw new ClipSortError('no-library', 'No library is open: open or create one first.');
    return this.session;
  }

  /** Makes `folder` a library (if needed) and opens it; returns the folders created. */
  async switchLibrary(
    folder: string,
    init: boolean,
  ): Promise<{ session: LibrarySession; created: string[] }> {
    if (!this.options.allowLibrarySwitch) {
      const where = this.session ? ` (${this.session.root})` : '';
      throw new ClipSortError(
        'library-fixed',
        `This server serves one library${where}; start another \`clipsort serve\` to work on another one.`,
      );
    }
    const created = init ? await initLibrary(folder) : [];
    const next = await this.openSession(folder);
    const previous = this.session;
    this.session = next;
    await previous?.close();
    return { session: next, created };
  }

  private openSession(folder: string): Promise<LibrarySession> {
    return LibrarySession.open(folder, {
      model: () => this.model.get(),
      emit: this.emit,
      watch: this.options.watch,
    });
  }

  /** Stops sorting (finishing moves in flight), closes the library and frees the model. */
  async close(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    try {
      await session?.close();
    } finally {
      await this.model.dispose();
      this.listeners.clear();
    }
  }
}
