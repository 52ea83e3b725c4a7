import type { Client } from '../../../electron/api/client.js';
import { MAX_CAPTIONS_CHARS, type CommandResult, type MODES } from '../../../electron/api/contract/index.js';
import { EngineState } from './engineState.svelte.js';

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

/** Where the engine looks for a captions file's images when the page names no folder. */
const DEFAULT_FOLDER = 'Dataset';

/**
 * The classes with no reference images, by their confusion rows: every reference is predicted once, in its true
 * class's row, so an empty row is a class with nothing to score.
 */
export function classesWithoutReferences(
  classes: readonly string[],
  confusion: readonly number[][],
): string[] {
  return classes.filter((_, i) => (confusion[i] ?? []).every((count) => count === 0));
}

/** An installed model whose towers the captions can be scored with. */
export interface Encoder {
  id: string;
  name: string;
}

/**
 * Images against the captions of a captions file, with the model in use and, when the page names them, with the
 * image tower of one installed model and the text tower of another beside it.
 */
export class CaptionsEvaluation extends EngineState {
  /** The library folder holding the captions file's images. */
  folder = $state(DEFAULT_FOLDER);
  /** The installed models to compare with ('' in `imageModel`/`textModel`: the model in use). */
  encoders = $state<Encoder[]>([]);
  imageModel = $state('');
  textModel = $state('');
  report = $state<CaptionsReport | undefined>();
  /** The report with the towers named, beside `report`; none when none was named. */
  separate = $state<CaptionsReport | undefined>();
  /** The name of the file `report` came from. */
  file = $state<string | undefined>();
  /** The folder the last evaluation looked for the images in, to say where when too few were found. */
  lookedIn = $state<string | undefined>();

  /** Reads `file` here in the page and sends its text: the engine never opens paths outside the library. */
  async evaluate(file: CaptionsFile) {
    // Checked here, before reading: the server refuses a message this large by closing the connection.
    if (file.size > MAX_CAPTIONS_CHARS) {
      const limit = `${MAX_CAPTIONS_CHARS / 1024} KiB`;
      this.error = { code: 'captions-too-large', message: `${file.name} is larger than ${limit}.` };
      return;
    }
    this.busy = true;
    await this.attempt(async () => {
      const captions = await file.text();
      const folder = this.folder.trim().replace(/\/+$/, '') || undefined;
      this.lookedIn = folder ?? DEFAULT_FOLDER;
      const input = { captions, name: file.name, folder };
      const imageModel = this.imageModel || undefined;
      const textModel = this.textModel || undefined;
      const report = await this.client.invoke('eval.captions', input);
      const separate =
        imageModel || textModel
          ? await this.client.invoke('eval.captions', { ...input, imageModel, textModel })
          : undefined;
      [this.report, this.separate, this.file] = [report, separate, file.name];
    });
    this.busy = false;
  }

  /** The installed models, to offer their towers. */
  async loadEncoders() {
    await this.attempt(async () => {
      const { models } = await this.client.invoke('model.status');
      this.encoders = models
        .filter((m) => m.state === 'installed')
        .map((m) => ({ id: m.id, name: m.name ?? m.id }));
    });
  }
}

/** Which classification mode recognises the user's own reference images best, and switching to it. */
export class ModesEvaluation extends EngineState {
  report = $state<ClassesReport | undefined>();
  /** The mode sorting uses now. */
  mode = $state<Mode | undefined>();
  /** The mode whose confusion matrix is shown. */
  confusionMode = $state<Mode | undefined>();
  applying = $state(false);

  async evaluate() {
    this.busy = true;
    await this.attempt(async () => {
      const [report, settings] = await Promise.all([
        this.client.invoke('eval.classes'),
        this.client.invoke('settings.get'),
      ]);
      this.report = report;
      this.mode = settings.mode;
      this.confusionMode = report.recommended ?? settings.mode;
    });
    this.busy = false;
  }

  /**
   * Sorts with `mode` from now on, with that mode's own threshold and margin: scores of one mode mean nothing in
   * another (cosine against probability).
   */
  async apply(mode: Mode) {
    this.applying = true;
    await this.attempt(async () => {
      this.mode = (await this.client.invoke('settings.set', { mode, threshold: null, margin: null })).mode;
    });
    this.applying = false;
  }
}

/**
 * How well the model fits the library, as the view's two panels, each with its own progress and failure: images
 * against a captions file's captions, and the classification modes on the reference images.
 */
export class Evaluation {
  readonly captions: CaptionsEvaluation;
  readonly modes: ModesEvaluation;

  constructor(client: Client) {
    this.captions = new CaptionsEvaluation(client);
    this.modes = new ModesEvaluation(client);
  }
}
