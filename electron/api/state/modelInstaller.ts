/**
 * Getting a model from the app: a catalogue model downloaded in the background (one download at a time,
 * resumable, reported as `model-download` progress and `model` status events), or a model folder imported.
 * Either way the model becomes the one in use and is loaded, unless the face asks only to install it; then it
 * becomes the one in use only when no other model is.
 */
import path from 'node:path';
import { ClipSortError, errorMessage } from '../../engine/errors.js';
import {
  downloadModel,
  findModelEntry,
  importModel,
  claimInUse,
  setInUse,
  type DownloadModelOptions,
  type InstalledModel,
  type ModelEntry,
} from '../../engine/models/index.js';
import type { CommandResult, ParsedInput } from '../contract/index.js';
import type { ModelDownloadState, ModelHolder } from './modelHolder.js';
import type { Emit } from './sortService.js';

/** Download transport and timings (tests shorten them). */
export type DownloadTuning = Pick<
  DownloadModelOptions,
  'retries' | 'retryDelayMs' | 'idleTimeoutMs' | 'fetch'
>;

/** Progress events are pushed at most this often (and once more when a file ends). */
const PROGRESS_EVERY_MS = 250;

interface RunningDownload {
  controller: AbortController;
  entry: Promise<ModelEntry>;
  /** The model once downloaded; rejects with why the download failed or was cancelled. */
  installed: Promise<InstalledModel>;
  /** Settles once the download has ended and its model is in use (when asked). */
  done: Promise<void>;
}

export class ModelInstaller {
  private running?: RunningDownload;

  constructor(
    private readonly holder: ModelHolder,
    private readonly emit: Emit,
    private readonly tuning: DownloadTuning = {},
  ) {}

  /**
   * Starts downloading the catalogue model `id` (the default unless given), unless a download is running already;
   * with `wait`, answers once that download ends, with the model it installed.
   */
  async download({ id, quantized, use = true, wait = false }: ParsedInput<'model.download'> = {}): Promise<
    CommandResult<'model.download'>
  > {
    const started = !this.running;
    // Taken before anything is awaited, so that two calls at once start one download.
    const running = (this.running ??= this.start(id, quantized, use));
    const model = (await running.entry).id;
    if (!wait) return { model, started };
    const installed = await running.installed;
    // Answered once the model is in use (when it becomes so), and the next download may start.
    await running.done;
    return { model, started, installed };
  }

  private start(id: string | undefined, quantized: boolean | undefined, use: boolean): RunningDownload {
    const controller = new AbortController();
    const entry = this.holder
      .catalogue()
      .then((catalogue) => findModelEntry(catalogue, id ?? catalogue.default));
    const installed = this.run(entry, quantized, controller.signal);
    const done = installed.then(
      // The holder reports a model that does not load in its own status.
      (model) => this.adopt(model, use).catch(() => undefined),
      () => undefined, // told in the download's status (and to a face that waits)
    );
    const running = { controller, entry, installed, done };
    void done.finally(() => {
      if (this.running === running) this.running = undefined;
    });
    return running;
  }

  private async run(
    entryPromise: Promise<ModelEntry>,
    quantized: boolean | undefined,
    signal: AbortSignal,
  ): Promise<InstalledModel> {
    // A model not in the catalogue fails the command only: no download was started.
    const entry = await entryPromise;
    const state: ModelDownloadState = {
      model: entry.id,
      state: 'running',
      file: null,
      received: 0,
      total: 0,
      message: null,
    };
    let lastPush = 0;
    const progress = (force: boolean) => {
      const now = Date.now();
      if (!force && now - lastPush < PROGRESS_EVERY_MS) return;
      lastPush = now;
      const { model, file, received, total } = state;
      this.holder.noteProgress({ ...state });
      this.emit('model-download', { model, file: file ?? '', received, total });
    };
    this.holder.setDownload({ ...state });
    let installed: InstalledModel;
    try {
      installed = await downloadModel(entry, this.holder.modelsHome, {
        ...this.tuning,
        quantized,
        signal,
        onFile: (file) => {
          if (state.file !== null) progress(true);
          state.file = file.path;
        },
        onProgress: (received, total) => {
          state.received = received;
          state.total = total;
          progress(false);
        },
      });
      progress(true);
    } catch (error) {
      const cancelled = error instanceof ClipSortError && error.code === 'download-cancelled';
      this.holder.setDownload({
        ...state,
        state: cancelled ? 'cancelled' : 'failed',
        message: errorMessage(error),
      });
      throw error;
    }
    this.holder.setDownload({ ...state, state: 'done', file: null });
    return installed;
  }

  /**
   * With `use`, makes the model just installed the one in use and loads it; else makes it the one in use only when
   * no other model is (nothing is loaded then).
   */
  private async adopt(installed: InstalledModel, use: boolean): Promise<void> {
    const home = this.holder.modelsHome;
    if (!use) {
      await claimInUse(home, installed.id, (await this.holder.catalogue()).default);
      return;
    }
    await setInUse(home, installed.id);
    await this.holder.use(installed.path);
  }

  /** Stops the download in progress; what was fetched is kept for the next one to resume. */
  async cancel(): Promise<CommandResult<'model.cancelDownload'>> {
    const running = this.running;
    if (!running) return { cancelled: false };
    running.controller.abort();
    await running.done;
    return { cancelled: true };
  }

  /** Copies the model folder `source` into the models home and (unless `use` is false) uses it. */
  async import(
    source: string,
    options: { id?: string; replace?: boolean; use?: boolean },
  ): Promise<CommandResult<'model.import'>> {
    const installed = await importModel(source, this.holder.modelsHome, {
      id: options.id,
      force: options.replace,
    });
    await this.adopt(installed, options.use ?? true);
    const folder = path.resolve(installed.path);
    return { model: installed.id, folder, files: installed.files.length, installed };
  }

  /**
   * Makes the installed model `id` the one in use; a model already loaded is replaced by it (kept if it cannot
   * load), else it loads when something first needs it.
   */
  async use(id: string): Promise<CommandResult<'model.use'>> {
    const home = this.holder.modelsHome;
    await setInUse(home, id);
    const folder = path.resolve(home, id);
    await this.holder.use(folder, { load: false });
    return { model: id, folder };
  }

  /** Waits for a download in progress to end (closing the face). */
  async close(): Promise<void> {
    await this.cancel();
  }
}
