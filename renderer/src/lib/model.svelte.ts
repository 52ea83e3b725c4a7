import type { CommandResult, EventData } from '../../../electron/api/contract/index.js';
import { EngineState, type Unsubscribe } from './engineState.svelte.js';
import { modelUsable } from './readiness.js';
import { RateMeter } from './transferRate.js';

export type ModelStatus = CommandResult<'model.status'>;

/** The download as the page shows it: the engine's figures and the rate measured here. */
export interface DownloadProgress {
  model: string;
  state: NonNullable<ModelStatus['download']>['state'];
  file: string | null;
  received: number;
  total: number;
  /** Bytes per second over the last seconds, or null until measured. */
  perSecond: number | null;
  message: string | null;
}

/** The CLIP model: its status, the download with live progress, and importing a model folder. */
export class Model extends EngineState {
  status = $state<ModelStatus | undefined>();
  download = $state<DownloadProgress | undefined>();
  /** The folder imported last, to import again in place of an installed model of the same name. */
  imported = $state<string | undefined>();
  /** A model about to be used embedding the library, while the one in use keeps sorting; gone once caught up. */
  catchUp = $state<EventData<'model-catchup'> | undefined>();

  usable = $derived(modelUsable(this.status));
  downloading = $derived(this.download?.state === 'running');

  #rate = new RateMeter();

  /** The engine's model and download events. */
  protected override follow(): Unsubscribe[] {
    return [
      this.client.on('model', (data) => this.#onModel(data)),
      this.client.on('model-download', (data) => this.#onProgress(data)),
      this.client.on('model-catchup', (data) => {
        this.catchUp = data.done < data.total ? data : undefined;
      }),
    ];
  }

  protected override async read() {
    this.#show(await this.client.invoke('model.status'));
  }

  /**
   * Starts (or resumes) downloading a model of the catalogue, the default unless `id` names another; progress
   * arrives as events.
   */
  async startDownload(id?: string) {
    await this.act(async () => {
      this.#rate.reset();
      await this.client.invoke('model.download', id === undefined ? {} : { id });
    });
  }

  async cancelDownload() {
    await this.act(() => this.client.invoke('model.cancelDownload'));
  }

  /** Copies the model folder at `path` (on the computer that runs the engine) into the models home and uses it. */
  async importFolder(path: string, replace = false): Promise<boolean> {
    this.imported = path;
    await this.act(() => this.client.invoke('model.import', { path, replace }));
    return this.error === undefined;
  }

  /** Makes the installed model `id` the one in use. */
  async use(id: string) {
    await this.act(() => this.client.invoke('model.use', { id }));
  }

  /** Imports the last folder again, replacing the installed model of the same name (after `model-exists`). */
  async replaceWithImport() {
    if (this.imported) await this.importFolder(this.imported, true);
  }

  #show(status: ModelStatus) {
    this.status = status;
    const download = status.download;
    if (!download) return;
    if (download.state === 'running') this.#rate.add(download.received, Date.now());
    this.download = { ...download, perSecond: download.state === 'running' ? this.#rate.perSecond() : null };
  }

  /** A `model` event carries the status without the listing: show it now, fetch the rest once it settles. */
  #onModel(data: EventData<'model'>) {
    if (this.status) this.#show({ ...this.status, ...data });
    this.refreshSoon(200);
  }

  #onProgress(data: EventData<'model-download'>) {
    this.#rate.add(data.received, Date.now());
    this.download = {
      model: data.model,
      state: 'running',
      file: data.file,
      received: data.received,
      total: data.total,
      perSecond: this.#rate.perSecond(),
      message: null,
    };
  }
}
