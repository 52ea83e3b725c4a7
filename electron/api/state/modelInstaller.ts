/**
 * Getting a model from the app: the catalogue's default model downloaded in the background (one download at a
 * time, resumable, reported as `model-download` progress and `model` status events), or a model folder imported.
 * Either way the model is recorded as this computer's choice and loaded.
 */
import path from 'node:path';
import { ClipSortError, errorMessage } from '../../engine/errors.js';
import {
  downloadModel,
  findModelEntry,
  importModel,
  type DownloadModelOptions,
  type InstalledModel,
  type ModelEntry,
} from '../../engine/models/index.js';
import type { CommandResult } from '../contract/index.js';
import type { AppConfig } from './appConfig.js';
import type { ModelDownloadState, ModelHolder } from './modelHolder.js';
import type { Emit } from './sortService.js';

/** Download transport and timings (tests shorten them). */
export type DownloadTuning = Pick<
  DownloadModelOptions,
  'retries' | 'retryDelayMs' | 'idleTimeoutMs' | 'fetch'
>;

/** Progress events are pushed at most this often (and once more when a file ends). */
const PROGRESS_EVERY_MS = 250;

export class ModelInstaller {
  private running?: { controller: AbortController; entry: Promise<ModelEntry>; done: Promise<void> };

  constructor(
    private readonly holder: ModelHolder,
    private readonly config: AppConfig,
    private readonly emit: Emit,
    private readonly tuning: DownloadTuning = {},
  ) {}

  /** Starts downloading the catalogue's default model, unless a download is running already. */
  async download(): Promise<CommandResult<'model.download'>> {
    if (this.running) return { model: (await this.running.entry).id, started: false };
    const controller = new AbortController();
    const entry = this.holder.catalogue().then((catalogue) => findModelEntry(catalogue, catalogue.default));
    const running = { controller, entry, done: this.run(entry, controller.signal) };
    this.running = running;
    void running.done.finally(() => {
      if (this.running === running) this.running = undefined;
    });
    return { model: (await entry).id, started: true };
  }

  private async run(entryPromise: Promise<ModelEntry>, signal: AbortSignal): Promise<void> {
    const state: ModelDownloadState = {
      model: '',
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
      this.emit('model-download', { model, file: file ?? '', received, total });
    };
    let installed: InstalledModel;
    try {
      const entry = await entryPromise;
      state.model = entry.id;
      this.holder.setDownload({ ...state });
      installed = await downloadModel(entry, this.holder.modelsHome, {
        ...this.tuning,
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
      return;
    }
    this.holder.setDownload({ ...state, state: 'done', file: null });
    try {
      await this.config.setMachineSettings({ model: installed.id });
      await this.holder.use(installed.path);
    } catch {
      // The holder reports a model that does not load in its own status.
    }
  }

  /** Stops the download in progress; what was fetched is kept for the next one to resume. */
  async cancel(): Promise<CommandResult<'model.cancelDownload'>> {
    const running = this.running;
    if (!running) return { cancelled: false };
    running.controller.abort();
    await running.done;
    return { cancelled: true };
  }

  /** Copies the model folder `source` into the models home and uses it. */
  async import(
    source: string,
    options: { id?: string; replace?: boolean },
  ): Promise<CommandResult<'model.import'>> {
    const installed = await importModel(source, this.holder.modelsHome, {
      id: options.id,
      force: options.replace,
    });
    await this.config.setMachineSettings({ model: installed.id });
    await this.holder.use(installed.path);
    return { model: installed.id, folder: path.resolve(installed.path), files: installed.files.length };
  }

  /** Waits for a download in progress to end (closing the face). */
  async close(): Promise<void> {
    await this.cancel();
  }
}
