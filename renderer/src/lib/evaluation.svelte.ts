import type { Client } from '../../../electron/api/client.js';
import { MAX_CAPTIONS_CHARS, type CommandResult, type MODES } from '../../../electron/api/contract.js';
import { toFailure, type Failure } from './errors.js';

export type Mode = (typeof MODES)[number];
export type CaptionsReport = CommandResult<'eval.captions'>;
export type ClassesReport = CommandResult<'eval.classes'>;

/** A captions file as the page holds it (a `File` from an `<input type="file">`). */
export interface CaptionsFile {
  name: string;
  /** In bytes. */
  size: number;
  text(): Promise<string>;
}

/**
 * How well the model fits the library: images against the captions of a captions file, and which classification
 * mode recognises the user's own reference images best (and switching to it).
 */
export class Evaluation {
  /** The library folder holding the captions file's images. */
  folder = $state('Dataset');
  captions = $state<CaptionsReport | undefined>();
  /** The name of the file `captions` came from. */
  captionsFile = $state<string | undefined>();
  classes = $state<ClassesReport | undefined>();
  /** The mode sorting uses now. */
  mode = $state<Mode | undefined>();
  /** The mode whose confusion matrix is shown. */
  confusionMode = $state<Mode | undefined>();

  captionsBusy = $state(false);
  classesBusy = $state(false);
  applying = $state(false);
  captionsError = $state<Failure | undefined>();
  classesError = $state<Failure | undefined>();

  #client: Client;

  constructor(client: Client) {
    this.#client = client;
  }

  /** Reads `file` here in the page and sends its text: the engine never opens paths outside the library. */
  async evaluateCaptions(file: CaptionsFile) {
    // Checked here, before reading: the server refuses a message this large by closing the connection.
    if (file.size > MAX_CAPTIONS_CHARS) {
      const limit = `${MAX_CAPTIONS_CHARS / 1024} KiB`;
      this.captionsError = { code: 'captions-too-large', message: `${file.name} is larger than ${limit}.` };
      return;
    }
    this.captionsBusy = true;
    try {
      const captions = await file.text();
      const folder = this.folder.trim().replace(/\/+$/, '') || undefined;
      this.captions = await this.#client.invoke('eval.captions', { captions, name: file.name, folder });
      this.captionsFile = file.name;
      this.captionsError = undefined;
    } catch (error) {
      this.captionsError = toFailure(error);
    } finally {
      this.captionsBusy = false;
    }
  }

  async evaluateClasses() {
    this.classesBusy = true;
    try {
      const [report, settings] = await Promise.all([
        this.#client.invoke('eval.classes'),
        this.#client.invoke('settings.get'),
      ]);
      this.classes = report;
      this.mode = settings.mode;
      this.confusionMode = report.recommended ?? settings.mode;
      this.classesError = undefined;
    } catch (error) {
      this.classesError = toFailure(error);
    } finally {
      this.classesBusy = false;
    }
  }

  /**
   * Sorts with `mode` from now on, with that mode's own threshold and margin: scores of one mode mean nothing in
   * another (cosine against probability).
   */
  async applyMode(mode: Mode) {
    this.applying = true;
    try {
      this.mode = (await this.#client.invoke('settings.set', { mode, threshold: null, margin: null })).mode;
      this.classesError = undefined;
    } catch (error) {
      this.classesError = toFailure(error);
    } finally {
      this.applying = false;
    }
  }
}
