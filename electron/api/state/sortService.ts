/**
 * Sorting as a service a face can start and stop: the engine's watch service over a sorter, with every outcome,
 * class reload and notice turned into an event, and a progress meter (images handed over, finished, recent rate).
 */
import type { ClipModel } from '../../engine/inference/clipModel.js';
import { newBatchId } from '../../engine/store/moveJournal.js';
import { Sorter, type SortOutcome, type SortSettings } from '../../engine/sorting/sorter.js';
import { WatchService } from '../../engine/sorting/watchService.js';
import type { LibraryIndex } from '../../engine/store/libraryIndex.js';
import type { WatchLibraryOptions } from '../../engine/watch/libraryWatcher.js';
import type { EventData, EventName, ParsedInput } from '../contract/index.js';
import { libraryLearning } from './libraryLearning.js';

/** Settings for one run of sorting over the library's own (see the contract's `sort.pass`). */
export type RunSettings = ParsedInput<'sort.pass'>;

/** Pushes one event to every listener. */
export type Emit = <E extends EventName>(event: E, data: EventData<E>) => void;

/** How often progress is pushed at most, and the window its rate is measured over. */
const PROGRESS_EVERY_MS = 250;
const RATE_WINDOW_MS = 10_000;

/** Counts images handed to the sorter and finished, and pushes `progress` events at a bounded rate. */
class ProgressMeter {
  private queued = 0;
  private done = 0;
  private finishedAt: number[] = [];
  private lastPush = 0;
  private timer?: ReturnType<typeof setTimeout>;

  constructor(private readonly emit: Emit) {}

  handed() {
    this.queued++;
    this.changed();
  }

  finished() {
    this.done++;
    this.finishedAt.push(Date.now());
    this.changed();
  }

  private changed() {
    const wait = this.lastPush + PROGRESS_EVERY_MS - Date.now();
    if (this.done === this.queued || wait <= 0) return this.push();
    this.timer ??= setTimeout(() => this.push(), wait);
  }

  /** Pushes the counts now. */
  push() {
    clearTimeout(this.timer);
    this.timer = undefined;
    const now = Date.now();
    this.lastPush = now;
    this.finishedAt = this.finishedAt.filter((t) => now - t <= RATE_WINDOW_MS);
    const span = this.finishedAt.length > 0 ? Math.max(1000, now - this.finishedAt[0]!) : RATE_WINDOW_MS;
    const perSecond = Math.round((this.finishedAt.length / span) * 1000 * 100) / 100;
    this.emit('progress', { queued: this.queued, done: this.done, perSecond });
  }

  stop() {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/** The event an outcome becomes. */
function announce(emit: Emit, outcome: SortOutcome): void {
  switch (outcome.kind) {
    case 'sorted': {
      const { file, class: name, to, score, margin, companions } = outcome;
      return emit('sorted', { file, class: name, to, score, margin, companions });
    }
    case 'review': {
      const { file, reason, best, score, margin, top } = outcome;
      return emit('review', { file, reason, best, score, margin, top });
    }
    case 'error':
      return emit('error', { file: outcome.file, code: outcome.code, message: outcome.error });
  }
}

export interface SortServiceOptions {
  root: string;
  index: LibraryIndex;
  model: () => Promise<ClipModel>;
  /** The library's settings, with those of one run over them. */
  settings: (run?: RunSettings) => SortSettings;
  emit: Emit;
  watch?: WatchLibraryOptions;
}

/** Starts and stops the watch service; one start or stop at a time. */
export class SortService {
  private running?: { sorter: Sorter; service: WatchService; meter: ProgressMeter; run?: RunSettings };
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: SortServiceOptions) {}

  get sorting(): boolean {
    return this.running !== undefined;
  }

  /**
   * Starts sorting (a new batch, so that undo can take this run back), with `run` over the library's settings
   * until stopped or restarted; resolves once watching.
   */
  start(run?: RunSettings): Promise<boolean> {
    return this.serially(() => this.startNow(run));
  }

  /**
   * Sorts what is in Images/ now, once, with `run` over the library's settings; each outcome is announced as it
   * comes. Sorting, if it runs, is paused meanwhile (one sorter moves at a time) and started again afterwards.
   */
  pass(run?: RunSettings): Promise<SortOutcome[]> {
    return this.serially(async () => {
      const paused = this.running;
      if (paused) await this.stopNow();
      try {
        return await this.passNow(run);
      } finally {
        if (paused) await this.startNow(paused.run);
      }
    });
  }

  private async passNow(run?: RunSettings): Promise<SortOutcome[]> {
    const { sorter, meter } = await this.newSorter(run);
    const announced = new Set<SortOutcome>();
    sorter.on('finished', (_file, outcome) => {
      if (!outcome) return;
      announced.add(outcome);
      announce(this.options.emit, outcome);
    });
    try {
      const outcomes = await sorter.sortInbox();
      for (const outcome of outcomes) if (!announced.has(outcome)) announce(this.options.emit, outcome);
      return outcomes;
    } finally {
      meter.push();
      meter.stop();
      await sorter.close();
    }
  }

  /**
   * Gives images that wait for review today's suggestions (an undo's, which have none); they keep waiting. An
   * image that cannot be scored now (no model yet) keeps none until a sort sees it.
   */
  async suggest(files: readonly string[]): Promise<void> {
    if (files.length === 0) return;
    let sorter: Sorter;
    try {
      sorter = this.sorterFor(await this.options.model());
    } catch {
      return;
    }
    try {
      await Promise.allSettled(files.map((file) => sorter.suggest(file)));
    } finally {
      await sorter.close();
    }
  }

  /** Stops sorting; every move in flight is finished first. */
  stop(): Promise<boolean> {
    return this.serially(() => this.stopNow());
  }

  /** Starts again with the current settings, if running. */
  restart(): Promise<boolean> {
    return this.serially(async () => {
      if (!this.running) return false;
      await this.stopNow();
      return this.startNow();
    });
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** A sorter for one run (a new batch), which learns from the library's labels. */
  private sorterFor(model: ClipModel, run?: RunSettings): Sorter {
    const { root, index } = this.options;
    const learning = libraryLearning(index, model.key);
    return new Sorter(root, model, index, this.options.settings(run), newBatchId(), { learning });
  }

  /** A sorter for one run, its progress pushed as events. */
  private async newSorter(run?: RunSettings): Promise<{ sorter: Sorter; meter: ProgressMeter }> {
    const { emit } = this.options;
    const sorter = this.sorterFor(await this.options.model(), run);
    const meter = new ProgressMeter(emit);
    sorter.on('started', () => meter.handed());
    sorter.on('finished', () => meter.finished());
    sorter.on('classes', (names) => emit('classes', { names }));
    sorter.on('notice', (message) => emit('notice', { message }));
    return { sorter, meter };
  }

  private async startNow(run?: RunSettings): Promise<boolean> {
    if (this.running) return true;
    const { root, emit } = this.options;
    const { sorter, meter } = await this.newSorter(run);
    const service = new WatchService(root, sorter);
    service.on('outcome', (outcome) => announce(emit, outcome));
    service.on('notice', (message) => emit('notice', { message }));
    try {
      await service.start(this.options.watch);
    } catch (error) {
      meter.stop();
      await sorter.close();
      throw error;
    }
    this.running = { sorter, service, meter, run };
    emit('sorting', { sorting: true });
    return true;
  }

  private async stopNow(): Promise<boolean> {
    const running = this.running;
    if (!running) return false;
    this.running = undefined;
    try {
      await running.service.close();
    } finally {
      running.meter.push();
      running.meter.stop();
      await running.sorter.close();
      this.options.emit('sorting', { sorting: false });
    }
    return false;
  }
}
