import { EventEmitter } from 'node:events';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildClassifier, type Classifier } from '../classify/classifier.js';
import { classesWithCorrections, NO_EVIDENCE, type Evidence } from '../classify/corrections.js';
import { probeKey, type Probe } from '../classify/probe.js';
import { decide, type DecisionRule } from '../classify/decision.js';
import type { Mode, Ranking } from '../classify/scores.js';
import { EmbeddingQueue, type FileIdentity, type QueueOptions } from '../embedding/embeddingQueue.js';
import { ClipSortError, errorMessage } from '../errors.js';
import type { ClipModel } from '../inference/clipModel.js';
import { scanImageFiles } from '../library/imageFiles.js';
import { libraryFolders } from '../library/libraryPaths.js';
import { sanitiseClassName } from '../library/safeNames.js';
import { FileMover } from '../move/fileMover.js';
import type { LibraryIndex } from '../store/libraryIndex.js';
import type { ReviewReason } from '../store/reviewQueue.js';
import { ClassSetLoader, type ClassSet } from './classSet.js';
import { HOLD_EVERYTHING, promiseOf, type CalibratedRule, type Learning } from './learning.js';

export interface SortSettings extends DecisionRule {
  mode: Mode;
  /** Decide and report, but move nothing and record nothing for review. */
  dryRun?: boolean;
  /** How long a new file must be left alone before it is moved (see quietFile.ts); the mover's default unless set. */
  quietMs?: number;
  /** The language the class names are written in, for models told it (English unless set). */
  classLanguage?: string;
  /**
   * Decide again for the images waiting for review, as for new ones: those that now clear the rule (new
   * classes, another mode or threshold, an undo taken back) are filed. A person asks for it; unless they do, an
   * image waits until it changes.
   */
  recheck?: boolean;
  /**
   * Decide by the rule calibrated to file at most this share of images in the wrong class (see calibration.ts)
   * instead of by `threshold` and `margin`; needs a `Learning`.
   */
  maxError?: number;
  /**
   * While the labelled photos are too few to support any rule at `maxError`: decide by `threshold` and `margin`,
   * or let every image wait for review (the default: a promise asked for is never broken).
   */
  untilCalibrated?: 'threshold' | 'review';
}

/**
 * Why an image waits for review: its score or its lead over the runner-up falls short of the rule, an undo put
 * it back (`undone`), an earlier decision holds it though today's rule would file it (`held`), or too few
 * labelled photos support any calibrated rule (`evidence`).
 */
export type WaitReason = 'score' | 'margin' | 'undone' | 'held' | 'evidence';

/** What happened to one inbox image; the events the faces show. */
export type SortOutcome =
  | {
      kind: 'sorted';
      file: string;
      class: string;
      to: string;
      score: number;
      margin: number;
      /** Where the files that moved with it went (see fileGroups.ts). */
      companions: string[];
    }
  | {
      kind: 'review';
      file: string;
      reason: WaitReason;
      best: string;
      score: number;
      margin: number;
      top: { name: string; score: number }[];
    }
  | { kind: 'error'; file: string; code: string; error: string };

/**
 * What a sorter tells whoever listens: an image handed to it (`started`), the same image done (`finished`, with
 * its outcome, or none when the sort failed unexpectedly), and the classes read again (`classes`).
 */
export interface SorterEvents {
  started: [file: string];
  finished: [file: string, outcome: SortOutcome | undefined];
  classes: [names: string[]];
  /** Something about the classes a person should know (a class scored by its prompt alone). */
  notice: [message: string];
}

/** The classes as read, the classifier built from them, and the rule that decides with it. */
export interface Decider {
  set: ClassSet;
  classifier: Classifier;
  rule: DecisionRule;
  /** What the rule promises, when it was calibrated. */
  calibrated?: CalibratedRule;
}

/** How many of the best classes a review item keeps. */
const REVIEW_TOP = 3;

/** The best classes of a ranking, most likely first, as a review item keeps them. */
function topOf(ranking: Ranking): { name: string; score: number }[] {
  return [...ranking.scores]
    .sort((a, b) => b.score - a.score)
    .slice(0, REVIEW_TOP)
    .map(({ name, score }) => ({ name, score }));
}

/** A file still being copied is tried again this many times, this long apart, before it is reported. */
const STILL_COPYING_TRIES = 10;
const STILL_COPYING_DELAY_MS = 1_000;
/** The errors of a file that is being written or replaced right now. */
const UNSETTLED = new Set(['file-still-copying', 'file-changing', 'file-changed']);

/**
 * Sorts inbox images: embed, rank the classes, then move the image into `Dataset/<class>/` when the decision
 * rule is sure, or record it for review (it stays in `Images/`, not reprocessed until it changes).
 */
export class Sorter extends EventEmitter<SorterEvents> {
  private readonly queue: EmbeddingQueue;
  private readonly loader: ClassSetLoader;
  private readonly mover: FileMover;
  private set?: Promise<ClassSet>;
  /** The classifier and rule for the labels as they were at `version`. */
  private decider?: { version: string; ready: Promise<Decider> };
  /** The run of each image being sorted now. */
  private readonly running = new Map<string, Promise<SortOutcome>>();
  /** The last trained probe, reused while the references stay the same. */
  private probe?: { key: string; probe: Probe };
  /** The model the embeddings are of, kept with each suggestion. */
  private readonly modelKey: string;
  private readonly learning?: Learning;

  constructor(
    private readonly root: string,
    model: Pick<ClipModel, 'key' | 'preprocess' | 'embedImages' | 'embedPromptSets' | 'scoring'>,
    private readonly index: LibraryIndex,
    private readonly settings: SortSettings,
    /** Groups this run's moves in the journal, so `undo` can take back a whole run. */
    private readonly batch: string,
    options: QueueOptions & { learning?: Learning } = {},
  ) {
    super();
    this.modelKey = model.key;
    this.learning = options.learning;
    this.queue = new EmbeddingQueue(root, model, index, options);
    this.loader = new ClassSetLoader(root, model, this.queue, settings.classLanguage);
    this.mover = new FileMover(
      root,
      index,
      settings.quietMs === undefined ? {} : { quietMs: settings.quietMs },
    );
  }

  /** Stops the decoding process it was given, if any (see `QueueOptions.decoder`). */
  close(): Promise<void> {
    return this.queue.close();
  }

  /**
   * The classes as they are now, the classifier built from them (and from people's corrections, in the modes
   * that learn from them), and the rule that decides: recalibrated when a label is added or taken back. Call
   * `reloadClasses` when `Classes/` changed.
   */
  classes(): Promise<Decider> {
    this.set ??= this.loader.load().then((set) => {
      if (set.classes.length === 0) {
        throw new ClipSortError(
          'no-classes',
          'The library has no classes yet: create a folder per class in Classes/ (its name is the prompt) ' +
            'and put a few example images in it.',
        );
      }
      return set;
    });
    const version = this.learning ? this.index.labels.version() : '';
    if (this.decider?.version !== version) {
      const set = this.set;
      this.decider = { version, ready: set.then((loaded) => this.decideWith(loaded)) };
    }
    return this.decider.ready;
  }

  private async decideWith(set: ClassSet): Promise<Decider> {
    const evidence = this.learning?.evidence(set) ?? NO_EVIDENCE;
    const classifier = this.build(set, evidence);
    for (const name of classifier.fellBack) {
      this.emit('notice', `note: class "${name}" has no reference images; it is scored by its text prompt.`);
    }
    const { mode, maxError, untilCalibrated = 'review' } = this.settings;
    if (maxError === undefined || !this.learning) return { set, classifier, rule: this.settings };
    const calibrated = await this.learning.calibrate(set, evidence, { mode, maxError });
    // Nothing to tell apart (a single class): nothing can be promised either.
    // Until a promise can be made, the fixed rule decides as it always did, unannounced: what is promised and
    // how far from it the library is, `eval.promise` says.
    if (!calibrated?.rule && untilCalibrated === 'threshold') return { set, classifier, rule: this.settings };
    if (calibrated) this.emit('notice', promiseOf(calibrated));
    return {
      set,
      classifier,
      rule: calibrated?.rule ?? HOLD_EVERYTHING,
      calibrated: calibrated ?? undefined,
    };
  }

  private build(set: ClassSet, evidence: Evidence): Classifier {
    const { mode } = this.settings;
    const { scoring } = set;
    const classes = classesWithCorrections(set.classes, mode, evidence);
    if (mode !== 'probe') return buildClassifier(classes, { mode, scoring });
    const key = probeKey(classes, {}, scoring.scale);
    const trainedProbe = this.probe?.key === key ? this.probe.probe : undefined;
    const classifier = buildClassifier(classes, { mode, trainedProbe, scoring });
    this.probe = { key, probe: classifier.probe! };
    return classifier;
  }

  async reloadClasses(): Promise<Decider> {
    this.set = undefined;
    this.decider = undefined;
    const decider = await this.classes();
    this.emit(
      'classes',
      decider.set.classes.map((c) => c.name),
    );
    return decider;
  }

  /**
   * Sorts every image now in `Images/`. What the scan left where it is (an unreadable folder, a name that is not
   * UTF-8, another library) comes last, as errors.
   */
  async sortInbox(onProgress?: (done: number, total: number) => void): Promise<SortOutcome[]> {
    await this.classes();
    const { files, skipped } = await scanImageFiles(this.root, libraryFolders(this.root).images);
    let done = 0;
    const outcomes = await Promise.all(
      files.map(async (file) => {
        const outcome = await this.sortFile(file);
        onProgress?.(++done, files.length);
        return outcome;
      }),
    );
    const leftOut = skipped.map(({ path: file, code, reason }): SortOutcome => ({
      kind: 'error',
      file,
      code,
      error: reason,
    }));
    return [...outcomes, ...leftOut];
  }

  /**
   * Sorts one inbox image (a library-relative path). One image is sorted by one run at a time: asking again while
   * it is under way joins that run, which never moves it twice. An image that something is still writing, or that
   * changed while it was looked at, is looked at again a little later, and reported only when it never settles.
   */
  async sortFile(file: string): Promise<SortOutcome> {
    this.emit('started', file);
    let run = this.running.get(file);
    if (!run) {
      run = this.sortUntilSettled(file).finally(() => this.running.delete(file));
      this.running.set(file, run);
    }
    let outcome: SortOutcome | undefined;
    try {
      outcome = await run;
      return outcome;
    } finally {
      this.emit('finished', file, outcome);
    }
  }

  private async sortUntilSettled(file: string): Promise<SortOutcome> {
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.sortOnce(file);
      if (outcome.kind !== 'error' || !UNSETTLED.has(outcome.code)) return outcome;
      if (attempt >= STILL_COPYING_TRIES) return outcome;
      await sleep(STILL_COPYING_DELAY_MS);
    }
  }

  private async sortOnce(file: string): Promise<SortOutcome> {
    const { classifier, rule } = await this.classes();
    const waiting = this.index.review.get(file);
    const embedded = await this.queue.embed(file);
    if (embedded.status === 'failed')
      return { kind: 'error', file, code: embedded.code, error: embedded.error };
    const ranking = classifier.rank(embedded.vector);
    const top = topOf(ranking);
    const decision = decide(ranking, rule);
    // Why it would wait, were it new; nothing when the rule files it.
    const unsure =
      decision.kind === 'sort' ? undefined : rule === HOLD_EVERYTHING ? 'evidence' : decision.reason;
    const review = (reason: WaitReason) =>
      ({
        kind: 'review',
        file,
        reason,
        best: ranking.best,
        score: ranking.score,
        margin: ranking.margin,
        top,
      }) as const;
    // An image already waiting, unchanged since, stays where it is until a person decides or asks to sort it
    // again; its suggestions are today's.
    if (waiting && waiting.sha256 === embedded.sha256 && !this.settings.recheck) {
      const held = review(waiting.reason === 'undone' ? 'undone' : (unsure ?? 'held'));
      if (!this.settings.dryRun) this.recordReview(file, embedded, held, waiting.reason);
      return held;
    }
    if (decision.kind === 'review') {
      const waits = review(unsure ?? decision.reason);
      if (!this.settings.dryRun) this.recordReview(file, embedded, waits, 'unsure');
      return waits;
    }
    const folder = `Dataset/${sanitiseClassName(decision.class)}`;
    const sorted = {
      kind: 'sorted',
      file,
      class: decision.class,
      score: ranking.score,
      margin: ranking.margin,
    } as const;
    if (this.settings.dryRun) {
      const companions = await this.mover.companionsOf(file);
      const into = (name: string) => `${folder}/${path.posix.basename(name)}`;
      return { ...sorted, to: into(file), companions: companions.map(into) };
    }
    try {
      const moved = await this.mover.move({
        from: file,
        toFolder: folder,
        kind: 'sort',
        batch: this.batch,
        // Refuse to move a file that changed after it was looked at.
        expectSha256: embedded.sha256,
      });
      if (waiting) this.index.review.delete(file);
      return { ...sorted, to: moved.to, companions: moved.companions.map((companion) => companion.to) };
    } catch (error) {
      if (!(error instanceof ClipSortError)) throw error;
      return { kind: 'error', file, code: error.code, error: errorMessage(error) };
    }
  }

  /**
   * Records today's suggestions with an image that waits for review, unchanged since it was put there (an undo
   * records none); it keeps waiting and is never moved.
   */
  async suggest(file: string): Promise<void> {
    const { classifier } = await this.classes();
    const waiting = this.index.review.get(file);
    if (!waiting) return;
    const embedded = await this.queue.embed(file);
    if (embedded.status === 'failed' || embedded.sha256 !== waiting.sha256) return;
    const ranking = classifier.rank(embedded.vector);
    const { best, score, margin } = ranking;
    this.recordReview(file, embedded, { best, score, margin, top: topOf(ranking) }, waiting.reason);
  }

  private recordReview(
    file: string,
    identity: FileIdentity,
    review: Pick<Extract<SortOutcome, { kind: 'review' }>, 'best' | 'score' | 'margin' | 'top'>,
    reason: ReviewReason,
  ) {
    this.index.review.put({
      path: file,
      ...identity,
      reason,
      best: review.best,
      score: review.score,
      margin: review.margin,
      top: review.top,
      model: this.modelKey,
      mode: this.settings.mode,
    });
  }
}
