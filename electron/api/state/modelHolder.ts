import path from 'node:path';
import { ClipSortError, errorMessage } from '../../engine/errors.js';
import { ClipModel, type ClipModelOptions } from '../../engine/inference/clipModel.js';
import { refusedUnchecked, type PrecisionCheck } from '../../engine/evaluate/precisionCheck.js';
import { checkExecutionProviders, type ExecutionProvider } from '../../engine/inference/onnxRuntime.js';
import {
  checkLayout,
  defaultModelsHome,
  installedFolder,
  listModels,
  loadManifest,
  locateModel,
  resolveInUse,
  type Manifest,
} from '../../engine/models/index.js';
import type { CommandResult, EventData, Precision } from '../contract/index.js';
import type { AppConfig } from './appConfig.js';

export type ModelStatus = EventData<'model'>;
export type ModelDownloadState = NonNullable<ModelStatus['download']>;

export interface ModelHolderOptions extends ClipModelOptions {
  /** A model folder named by the person; else the usual search (see `locateModel`). */
  modelDir?: string;
  /** Where downloaded and imported models live; the user's models home unless set. */
  modelsHome?: string;
  /** The model catalogue; the built-in one (or `CLIPSORT_MANIFEST`) unless set. */
  catalogue?: Manifest;
  /** Where `CLIPSORT_MODELS_HOME`, `CLIPSORT_MANIFEST` and `CLIPSORT_MODEL_DIR` are read; this process's unless set. */
  env?: NodeJS.ProcessEnv;
}

/**
 * How the model runs: threads per tower (null: one per core), the providers to try before the CPU, and the
 * precision asked of the vision encoder (int8 only once checked on the library).
 */
export interface Runtime {
  threads: number | null;
  providers: ExecutionProvider[];
  precision: Precision;
}

/** A change of how the model runs: `undefined` keeps a value, `null` threads lets onnxruntime choose. */
export interface RuntimeChange {
  threads?: number | null;
  provider?: ExecutionProvider;
  precision?: Precision;
}

/**
 * Stops whatever uses the model before it is replaced; resolves to the function that starts it again with the new
 * one (the sorting service, which holds on to the model it started with).
 */
export type PauseUsers = () => Promise<() => Promise<void>>;

/** Compares an int8 model with its fp32 twin on the open library's photos (see evaluate/precisionCheck.ts). */
export type CheckPrecision = (fp32: ClipModel, int8: ClipModel) => Promise<PrecisionCheck>;

/**
 * The CLIP model of a running face: found and loaded on first use (sorting), kept while the face runs, and
 * reported as a status the renderer can show. A failed load is reported and tried again on the next use. A new
 * model folder (after a download or an import) or new threads or provider load a new model next to the old one,
 * which keeps working until the new one is ready and is kept when the new one cannot be loaded.
 */
export class ModelHolder {
  private loading?: Promise<ClipModel>;
  private current: ModelStatus = {
    state: 'idle',
    folder: null,
    message: null,
    precision: null,
    download: null,
  };
  /** The folder chosen in this run (a download or an import), which wins over everything else. */
  private chosenFolder?: string;
  private runtimeNow?: Runtime;
  private switching: Promise<unknown> = Promise.resolve();
  readonly modelsHome: string;

  constructor(
    private readonly options: ModelHolderOptions,
    private readonly config: AppConfig,
    /** Called whenever the status changes. */
    private readonly onStatus: (status: ModelStatus) => void = () => undefined,
    private readonly pauseUsers: PauseUsers = () => Promise.resolve(() => Promise.resolve()),
    /** Brings what the faces show up to date with a model about to replace the one in use (see `replace`). */
    private readonly catchUp: (next: ClipModel) => Promise<void> = () => Promise.resolve(),
    /** Without a check, int8 is refused. */
    private readonly checkPrecision: CheckPrecision = () =>
      Promise.resolve(refusedUnchecked(0, 'int8 is not checked here; full precision is used.')),
  ) {
    this.modelsHome = path.resolve(options.modelsHome ?? defaultModelsHome({ env: options.env }));
  }

  status(): ModelStatus {
    return this.current;
  }

  /** The status with the installed models, for `model.status`. */
  async report(): Promise<CommandResult<'model.status'>> {
    const [catalogue, inUse, found] = await Promise.all([
      this.catalogue(),
      this.folderInUse(),
      this.lookBeforeLoading(),
    ]);
    const status = { ...this.current, ...found };
    // A model that would not be found is in use by nobody.
    const listings = await listModels(catalogue, this.modelsHome, {
      inUse: status.state === 'missing' ? undefined : inUse,
    });
    return {
      ...status,
      modelsHome: this.modelsHome,
      // Spread, so that the engine's fields keep their order (the command line prints them as they were).
      models: listings.map((listing) => ({
        ...listing,
        name: listing.name ?? null,
        size: listing.size ?? null,
        source: listing.source ?? null,
        problem: listing.problem ?? null,
      })),
    };
  }

  /**
   * Before the first load, where the model would be found, or that it would not be (`missing`, saying how to
   * get one), so that a face can tell a person before anything needs the model. Nothing is loaded.
   */
  private async lookBeforeLoading(): Promise<Partial<ModelStatus>> {
    if (this.current.state !== 'idle' || this.current.folder) return {};
    try {
      return { folder: await this.locate() };
    } catch (error) {
      if (error instanceof ClipSortError && error.code === 'model-missing') {
        return { state: 'missing', message: error.message };
      }
      throw error;
    }
  }

  /** The model catalogue. */
  catalogue(): Promise<Manifest> {
    return this.options.catalogue
      ? Promise.resolve(this.options.catalogue)
      : loadManifest(undefined, this.options.env);
  }

  /** How the model runs now: the face's options (command line), else what this computer keeps. */
  async runtime(): Promise<Runtime> {
    if (!this.runtimeNow) {
      const stored = await this.config.machineSettings();
      this.runtimeNow = {
        threads: this.options.threads ?? stored.threads,
        providers: this.options.executionProviders
          ? [...this.options.executionProviders]
          : stored.provider === 'cpu'
            ? []
            : [stored.provider],
        precision: this.options.precision ?? stored.precision,
      };
    }
    return this.runtimeNow;
  }

  /** The loaded model, loading it when needed. */
  get(): Promise<ClipModel> {
    this.loading ??= this.load().catch((error: unknown) => {
      this.loading = undefined;
      const missing = error instanceof ClipSortError && error.code === 'model-missing';
      this.set({
        ...this.current,
        state: missing ? 'missing' : 'failed',
        message: errorMessage(error),
      });
      throw error;
    });
    return this.loading;
  }

  /**
   * The installed model `id` loaded on its own, running as the model in use runs, for a comparison; the caller
   * disposes of it. The model in use stays as it is.
   */
  async loadInstalled(id: string): Promise<ClipModel> {
    const folder = await installedFolder(this.modelsHome, id);
    return ClipModel.load(folder, this.loadOptions(await this.runtime()));
  }

  /** Tells the faces how the download stands (see `ModelInstaller`). */
  setDownload(download: ModelDownloadState | null): void {
    this.set({ ...this.current, download });
  }

  /**
   * Keeps the download's figures current for `model.status` without a `model` event: progress has events of its
   * own, and a status read mid-download must not show the figures it started with.
   */
  noteProgress(download: ModelDownloadState): void {
    this.current = { ...this.current, download };
  }

  /**
   * Uses `folder` from now on (a model just downloaded, imported or picked) and, with `load` or when a model is
   * loaded already, loads it: the new one replaces the old once it has loaded; if it cannot be, the old one stays.
   */
  use(folder: string, { load = true }: { load?: boolean } = {}): Promise<void> {
    return this.serially(() => this.replace({ folder, load }));
  }

  /**
   * Runs the model with `runtime` from now on. A loaded model is loaded again with it and replaced; when that
   * fails (`provider-unavailable`, say) the previous model keeps working and the error is thrown.
   */
  setRuntime(runtime: Runtime): Promise<void> {
    return this.serially(async () => {
      checkExecutionProviders(runtime.providers);
      await this.replace({ runtime, load: false });
    });
  }

  private serially(work: () => Promise<void>): Promise<void> {
    const next = this.switching.then(work, work);
    this.switching = next.catch(() => undefined);
    return next;
  }

  private async replace(change: { folder?: string; runtime?: Runtime; load: boolean }): Promise<void> {
    const previous = await this.loading?.catch(() => undefined);
    if (!previous) {
      // Nothing loaded: the next use loads with the new choice (now, for a new model).
      this.loading = undefined;
      if (change.folder !== undefined) this.chosenFolder = change.folder;
      if (change.runtime) this.runtimeNow = change.runtime;
      if (change.load) await this.get();
      return;
    }
    const before = this.current;
    const folder = change.folder ?? previous.modelDir;
    const runtime = change.runtime ?? (await this.runtime());
    this.set({ ...this.current, state: 'loading', folder, message: null });
    let next: ClipModel;
    let message: string | null;
    try {
      ({ model: next, message } = await this.loadChecked(folder, runtime));
    } catch (error) {
      this.set({ ...before, download: this.current.download });
      throw error;
    }
    if (next.key !== previous.key) {
      // Another model: it embeds the library first, while the one in use keeps sorting.
      this.set({ ...before, download: this.current.download });
      try {
        await this.catchUp(next);
      } catch (error) {
        await next.dispose();
        this.set({ ...before, download: this.current.download });
        throw error;
      }
    }
    const resume = await this.pauseUsers();
    try {
      if (change.folder !== undefined) this.chosenFolder = change.folder;
      this.runtimeNow = runtime;
      this.loading = Promise.resolve(next);
      this.set({ ...this.current, state: 'ready', folder, message, precision: next.precision });
      await previous.dispose();
    } finally {
      await resume();
    }
  }

  private async load(): Promise<ClipModel> {
    this.set({ ...this.current, state: 'loading', folder: null, message: null });
    const folder = await this.locate();
    this.set({ ...this.current, state: 'loading', folder, message: null });
    const { model, message } = await this.loadChecked(folder, await this.runtime());
    this.set({ ...this.current, state: 'ready', folder, message, precision: model.precision });
    return model;
  }

  /**
   * Loads the model; an int8 one only once it has passed the check on the library's photos, else its fp32 twin,
   * with why as the message. A folder with quantized encoders alone runs them, there being nothing to check
   * them against.
   */
  private async loadChecked(
    folder: string,
    runtime: Runtime,
  ): Promise<{ model: ClipModel; message: string | null }> {
    const options = this.loadOptions(runtime);
    const { variants } = await checkLayout(folder);
    if (!variants.includes('fp32')) {
      return { model: await ClipModel.load(folder, { ...options, precision: 'int8' }), message: null };
    }
    const model = await ClipModel.load(folder, options);
    if (model.precision === 'fp32') return { model, message: null };
    let fp32: ClipModel;
    try {
      fp32 = await ClipModel.load(folder, { ...options, precision: 'fp32' });
    } catch (error) {
      await model.dispose();
      throw error;
    }
    let check: PrecisionCheck;
    try {
      check = await this.checkPrecision(fp32, model);
    } catch (error) {
      await Promise.all([model.dispose(), fp32.dispose()]);
      throw error;
    }
    await (check.accepted ? fp32 : model).dispose();
    return check.accepted ? { model, message: null } : { model: fp32, message: check.reason };
  }

  private loadOptions(runtime: Runtime): ClipModelOptions {
    return {
      precision: runtime.precision,
      allowSpinning: this.options.allowSpinning,
      threads: runtime.threads ?? undefined,
      executionProviders: runtime.providers,
    };
  }

  /**
   * The model folder to load: chosen in this run, else named by the face (`--model-dir`, `CLIPSORT_MODEL_DIR`),
   * else the model in use in the models home.
   */
  private async locate(): Promise<string> {
    return locateModel({
      modelDir: this.chosenFolder ?? this.options.modelDir,
      modelsHome: this.modelsHome,
      modelId: await this.modelId(),
      env: this.options.env,
    });
  }

  /** The model of the models home used when no folder is named (see `resolveInUse`). */
  private async modelId(): Promise<string> {
    return resolveInUse(this.modelsHome, (await this.catalogue()).default);
  }

  /** The folder loaded, or the one that would be. */
  private async folderInUse(): Promise<string> {
    const named = this.current.folder ?? this.chosenFolder ?? this.options.modelDir;
    const folder =
      named ??
      ((this.options.env ?? process.env).CLIPSORT_MODEL_DIR ||
        path.join(this.modelsHome, await this.modelId()));
    return path.resolve(folder);
  }

  private set(status: ModelStatus) {
    this.current = status;
    this.onStatus(status);
  }

  /** Frees the model's processes. */
  async dispose(): Promise<void> {
    await this.switching;
    const loading = this.loading;
    this.loading = undefined;
    const model = await loading?.catch(() => undefined);
    await model?.dispose();
  }
}
