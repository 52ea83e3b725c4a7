import { ClipSortError, errorMessage } from '../engine/errors.js';
import { ClipModel, type ClipModelOptions } from '../engine/inference/clipModel.js';
import { locateModel } from '../engine/models/index.js';
import type { CommandResult } from './contract.js';

export type ModelStatus = CommandResult<'model.status'>;

export interface ModelHolderOptions extends ClipModelOptions {
  /** A model folder named by the person; else the usual search (see `locateModel`). */
  modelDir?: string;
}

/**
 * The CLIP model of a running face: found and loaded on first use (sorting), kept while the face runs, and
 * reported as a status the renderer can show. A failed load is reported and tried again on the next use.
 */
export class ModelHolder {
  private loading?: Promise<ClipModel>;
  private current: ModelStatus = { state: 'idle', folder: null, message: null };

  constructor(
    private readonly options: ModelHolderOptions,
    /** Called whenever the status changes. */
    private readonly onStatus: (status: ModelStatus) => void = () => undefined,
  ) {}

  status(): ModelStatus {
    return this.current;
  }

  /** The loaded model, loading it when needed. */
  get(): Promise<ClipModel> {
    this.loading ??= this.load().catch((error: unknown) => {
      this.loading = undefined;
      const missing = error instanceof ClipSortError && error.code === 'model-missing';
      this.set({
        state: missing ? 'missing' : 'failed',
        folder: this.current.folder,
        message: errorMessage(error),
      });
      throw error;
    });
    return this.loading;
  }

  private async load(): Promise<ClipModel> {
    this.set({ state: 'loading', folder: null, message: null });
    const { modelDir, ...options } = this.options;
    const folder = await locateModel({ modelDir });
    this.set({ state: 'loading', folder, message: null });
    const model = await ClipModel.load(folder, options);
    this.set({ state: 'ready', folder, message: null });
    return model;
  }

  private set(status: ModelStatus) {
    this.current = status;
    this.onStatus(status);
  }

  /** Frees the model's processes. */
  async dispose(): Promise<void> {
    const loading = this.loading;
    this.loading = undefined;
    const model = await loading?.catch(() => undefined);
    await model?.dispose();
  }
}
