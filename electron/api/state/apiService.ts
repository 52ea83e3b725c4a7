import path from 'node:path';
import { ClipSortError } from '../../engine/errors.js';
import { initLibrary } from '../../engine/library/initLibrary.js';
import type { WatchLibraryOptions } from '../../engine/watch/libraryWatcher.js';
import type { ApiEvent, EventData, EventName } from '../contract/index.js';
import { dispatch, type Outcome } from '../handlers/dispatch.js';
import type { HandlerContext } from '../handlers/handlerContext.js';
import { handlers } from '../handlers/handlerTable.js';
import { AppConfig } from './appConfig.js';
import {
  checkPrecision,
  refusedUnchecked,
  type PrecisionCheck,
} from '../../engine/evaluate/precisionCheck.js';
import type { ClipModel } from '../../engine/inference/clipModel.js';
import { catchUpLibrary } from './libraryCatchUp.js';
import { LibrarySession, type LibrarySessionOptions } from './librarySession.js';
import { ModelHolder, type ModelHolderOptions, type Runtime, type RuntimeChange } from './modelHolder.js';
import { ModelInstaller, type DownloadTuning } from './modelInstaller.js';

export interface ApiServiceOptions {
  model?: ModelHolderOptions;
  /** Model download transport and timings (tests point them at a local server). */
  download?: DownloadTuning;
  /**
   * Whether `library.open`, `library.init` and `model.import` may reach other folders of the computer. The
   * desktop app may; `clipsort serve` serves the one library it was started on, so that a page cannot.
   */
  allowLibrarySwitch?: boolean;
  /**
   * The folder of what is kept per computer (threads, provider, the model chosen, recent libraries; see
   * `defaultConfigHome`). Unset: kept in memory for this run only.
   */
  configDir?: string;
  /** Watcher timings (tests shorten them). */
  watch?: WatchLibraryOptions;
  /** Where unexpected failures are reported with their stack (they reach the face as `internal`). */
  onInternalError?: (error: unknown) => void;
  /**
   * How libraries are held: who the holder is (by default the face's name), whether to only look (`read`) or
   * move files, and whether to wait for another ClipSort (see `LibrarySession.open`).
   */
  access?: Partial<Pick<LibrarySessionOptions, 'holder' | 'access' | 'kind' | 'wait' | 'onWait'>>;
}

/**
 * What every face talks to: the open library, the model, and the event stream. Commands arrive through
 * `invoke`, are validated against the contract and run by the handler table, with this service as their context.
 */
export class ApiService implements HandlerContext {
  readonly model: ModelHolder;
  readonly models: ModelInstaller;
  readonly config: AppConfig;
  private session?: LibrarySession;
  private readonly listeners = new Set<(event: ApiEvent) => void>();

  constructor(readonly options: ApiServiceOptions = {}) {
    this.config = new AppConfig(options.configDir);
    this.model = new ModelHolder(
      options.model ?? {},
      this.config,
      (status) => this.emit('model', status),
      () => this.pauseSorting(),
      (next) => (this.session ? catchUpLibrary(this.session, next, this.emit) : Promise.resolve()),
      (fp32, int8) => this.checkPrecision(fp32, int8),
    );
    this.models = new ModelInstaller(this.model, this.emit, options.download);
  }

  /** An API over `library`, opened now. */
  static async open(library: string, options: ApiServiceOptions = {}): Promise<ApiService> {
    const api = new ApiService(options);
    api.session = await api.openSession(library);
    return api;
  }

  /** The face: the desktop app picks and switches libraries, a browser on `clipsort serve` does not. */
  get face(): 'desktop' | 'browser' {
    return this.options.allowLibrarySwitch ? 'desktop' : 'browser';
  }

  /** Runs a command from a face: `name` and `input` are untrusted until validated. */
  invoke(name: unknown, input: unknown): Promise<Outcome> {
    return dispatch(handlers, this, name, input, this.options.onInternalError);
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

  /** The open library, if any. */
  openLibrary(): LibrarySession | undefined {
    return this.session;
  }

  /** Refuses what would reach folders outside the open library where the face may not (`clipsort serve`). */
  assertMaySwitch(what: string): void {
    if (this.options.allowLibrarySwitch) return;
    const where = this.session ? ` (${this.session.root})` : '';
    throw new ClipSortError(
      'library-fixed',
      `This server serves one library${where} and cannot ${what}; start another \`clipsort serve\` to work on ` +
        'another one, or use the desktop app.',
    );
  }

  /** Makes `folder` a library (if needed) and opens it; returns the folders created. */
  async switchLibrary(
    folder: string,
    init: boolean,
  ): Promise<{ session: LibrarySession; created: string[] }> {
    this.assertMaySwitch('open another library');
    const created = init ? await initLibrary(folder) : [];
    // The library open now is held by this very process: let it go before taking it again.
    if (this.session?.root === path.resolve(folder)) await this.closeSession();
    const next = await this.openSession(folder);
    const previous = this.session;
    this.session = next;
    await previous?.close();
    await this.config.remember(next.root);
    return { session: next, created };
  }

  /** Runs the model with new threads, provider or precision; the previous model keeps working if that fails. */
  async setRuntime(change: RuntimeChange): Promise<void> {
    const current = await this.model.runtime();
    const next: Runtime = {
      threads: change.threads === undefined ? current.threads : change.threads,
      providers:
        change.provider === undefined
          ? current.providers
          : change.provider === 'cpu'
            ? []
            : [change.provider],
      precision: change.precision ?? current.precision,
    };
    const same =
      next.threads === current.threads &&
      next.providers.join() === current.providers.join() &&
      next.precision === current.precision;
    if (same) return;
    await this.model.setRuntime(next);
    await this.config.setMachineSettings({
      threads: next.threads,
      provider: next.providers[0] ?? 'cpu',
      precision: next.precision,
    });
  }

  /** int8 checked on the open library's photos in its mode, or refused without one. */
  private checkPrecision(fp32: ClipModel, int8: ClipModel): Promise<PrecisionCheck> {
    const session = this.session;
    if (!session) {
      return Promise.resolve(
        refusedUnchecked(
          0,
          'int8 is checked on a library before it is used, and none is open; full precision is used.',
        ),
      );
    }
    return checkPrecision(session.root, fp32, int8, session.index, {
      mode: session.settings.mode,
      language: session.classLanguage,
    });
  }

  /** Stops sorting while the model is replaced; resolves to what starts it again. */
  private async pauseSorting(): Promise<() => Promise<void>> {
    const session = this.session;
    if (!session?.sort.sorting) return () => Promise.resolve();
    await session.sort.stop();
    return async () => {
      if (this.session === session) await session.sort.start();
    };
  }

  private openSession(folder: string): Promise<LibrarySession> {
    return LibrarySession.open(path.resolve(folder), {
      model: () => this.model.get(),
      emit: this.emit,
      watch: this.options.watch,
      holder: this.face === 'desktop' ? 'the ClipSort desktop app' : 'clipsort serve',
      ...this.options.access,
    });
  }

  private async closeSession(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    await session?.close();
  }

  /** Stops sorting (finishing moves in flight), closes the library and frees the model. */
  async close(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    try {
      await session?.close();
    } finally {
      await this.models.close();
      await this.model.dispose();
      this.listeners.clear();
    }
  }
}
