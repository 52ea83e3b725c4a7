/** Starting and stopping sorting, and the settings it follows. */
import { classifyLibrary } from '../../engine/classify/classifyLibrary.js';
import type { SortOutcome } from '../../engine/sorting/sorter.js';
import type { CommandResult } from '../contract/index.js';
import { applyChange, effectiveSettings, writeSettings } from '../state/settingsFile.js';
import { embeddingProgress } from './embeddingProgress.js';
import type { HandlerContext, HandlersFor } from './handlerContext.js';

/** A pass's outcomes, by what became of each image. */
function passReport(outcomes: readonly SortOutcome[]): CommandResult<'sort.pass'> {
  const report: CommandResult<'sort.pass'> = { sorted: [], review: [], errors: [] };
  for (const outcome of outcomes) {
    if (outcome.kind === 'sorted') {
      const { file, class: name, to, score, margin, companions } = outcome;
      report.sorted.push({ file, class: name, to, score, margin, companions });
    } else if (outcome.kind === 'review') {
      const { file, reason, best, score, margin } = outcome;
      report.review.push({ file, reason, best, score, margin });
    } else report.errors.push({ file: outcome.file, error: outcome.error });
  }
  return report;
}

export const sortingHandlers: HandlersFor<
  'sort.start' | 'sort.pass' | 'sort.preview' | 'sort.stop' | 'settings.get' | 'settings.set',
  Pick<HandlerContext, 'library' | 'model' | 'setRuntime' | 'emit'>
> = {
  async 'sort.start'(run, context) {
    // A dry run moves nothing, so a library opened only to look may watch too.
    const library = run.dryRun ? context.library() : context.library().forMoving();
    return { sorting: await library.sort.start(run) };
  },

  async 'sort.pass'(run, context) {
    const library = run.dryRun ? context.library() : context.library().forMoving();
    const outcomes = await library.sort.pass(run);
    return passReport(outcomes);
  },

  async 'sort.preview'({ mode, threshold, margin, alpha, beta }, context) {
    const { root, index, settings, classLanguage } = context.library();
    const result = await classifyLibrary(root, await context.model.get(), index, {
      mode: mode ?? settings.mode,
      classLanguage,
      decision: { threshold, margin },
      hybrid: { alpha, beta },
      onProgress: embeddingProgress(context.emit),
    });
    return {
      predictions: result.predictions,
      errors: result.errors.map(({ file, error }) => ({ file, error })),
      fellBack: result.fellBack,
      decision: result.decision,
    };
  },

  async 'sort.stop'(_input, context) {
    return { sorting: await context.library().sort.stop() };
  },

  async 'settings.get'(_input, context) {
    return effectiveSettings(context.library().settings, await context.model.runtime());
  },

  async 'settings.set'(change, context) {
    const library = context.library();
    // The model first: an unavailable provider is refused before anything else changes.
    await context.setRuntime({
      threads: change.threads,
      provider: change.provider,
      precision: change.precision,
    });
    const next = applyChange(library.settings, change);
    await writeSettings(library.root, next);
    library.settings = next;
    await library.sort.restart();
    return effectiveSettings(next, await context.model.runtime());
  },
};
