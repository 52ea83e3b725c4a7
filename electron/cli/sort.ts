import path from 'node:path';
import type { Command } from 'commander';
import { Sorter, type SortOutcome } from '../engine/sorting/sorter.js';
import { WatchService } from '../engine/sorting/watchService.js';
import { skippedClassFolders } from '../engine/library/classFolders.js';
import { newBatchId } from '../engine/store/moveJournal.js';
import { loadModel, withModelOptions, type ModelOptions } from './modelOptions.js';
import { withLibrary } from './openLibrary.js';
import { printJson, say, warn } from './output.js';
import { createProgress } from './progress.js';
import type { GlobalOptions } from './run.js';
import { readSettings } from '../api/state/settingsFile.js';
import { sortSettings, withSortOptions, type SortCommandOptions } from './sortOptions.js';

type Options = GlobalOptions & ModelOptions & SortCommandOptions;

/** One line for people about an outcome. */
function describe(outcome: SortOutcome): string {
  switch (outcome.kind) {
    case 'sorted':
      return `${outcome.file} → ${outcome.to} (${outcome.class}, score ${outcome.score.toFixed(3)})`;
    case 'review':
      return `${outcome.file}: unsure (best ${outcome.best}, score ${outcome.score.toFixed(3)}, margin ${outcome.margin.toFixed(3)}); waiting for review`;
    case 'error':
      return `${outcome.file}: ${outcome.error}`;
  }
}

/** The JSON shape of a pass: sorted, review and errors, with library-relative paths. */
function report(outcomes: readonly SortOutcome[]) {
  const of = <K extends SortOutcome['kind']>(kind: K) =>
    outcomes.filter((o): o is Extract<SortOutcome, { kind: K }> => o.kind === kind);
  return {
    sorted: of('sorted').map(({ file, class: cls, to, score, margin }) => ({
      file,
      class: cls,
      to,
      score,
      margin,
    })),
    review: of('review').map(({ file, best, score, margin }) => ({ file, best, score, margin })),
    errors: of('error').map(({ file, error }) => ({ file, error })),
  };
}

/** Opens the library and the model, runs `work` with a sorter, and closes everything afterwards. */
async function withSorter<T>(
  library: string,
  command: 'sort' | 'watch',
  options: Options,
  work: (sorter: Sorter, root: string) => Promise<T>,
) {
  const moves = options.dryRun ? undefined : { command: `clipsort ${command}`, wait: options.wait };
  return withLibrary(
    library,
    async (root, index) => {
      const model = await loadModel(options);
      for (const { reason } of await skippedClassFolders(root)) warn(reason);
      const settings = sortSettings(options, await readSettings(root));
      const sorter = new Sorter(root, model, index, settings, newBatchId());
      try {
        return await work(sorter, root);
      } finally {
        await sorter.close();
        await model.dispose();
      }
    },
    { moves },
  );
}

/** `clipsort sort` (one pass over Images/) and `clipsort watch` (until stopped). */
export function registerSortCommands(program: Command): void {
  withSortOptions(
    withModelOptions(
      program
        .command('sort')
        .description(
          'sort every image in Images/ into Dataset/<class>/ (unsure ones wait for review), then exit',
        )
        .argument('<library>', 'library folder'),
    ),
  ).action(async (library: string, _options: unknown, command: Command) => {
    const options = command.optsWithGlobals<Options>();
    await withSorter(library, 'sort', options, async (sorter) => {
      const progress = createProgress('Sorting', { json: options.json, unit: 'images' });
      const outcomes = await sorter.sortInbox((done, total) => progress.update(done, total));
      progress.stop();
      if (options.json) return printJson(report(outcomes));
      for (const outcome of outcomes) say(describe(outcome));
      const { sorted, review, errors } = report(outcomes);
      say(`${sorted.length} sorted, ${review.length} waiting for review, ${errors.length} failed`);
    });
  });

  withSortOptions(
    withModelOptions(
      program
        .command('watch')
        .description('keep sorting images as they arrive in Images/ until interrupted')
        .argument('<library>', 'library folder'),
    ),
  ).action(async (library: string, _options: unknown, command: Command) => {
    const options = command.optsWithGlobals<Options>();
    await withSorter(library, 'watch', options, async (sorter, root) => {
      // With --json, one event per line: {"kind":"watching"} once, then one line per image.
      const print = (event: SortOutcome | { kind: 'watching'; library: string }) => {
        if (options.json) process.stdout.write(`${JSON.stringify(event)}\n`);
        else if (event.kind !== 'watching') say(describe(event));
      };
      const service = new WatchService(root, sorter);
      service.on('outcome', print);
      service.on('notice', warn);
      await service.start();
      if (options.json) print({ kind: 'watching', library: root });
      else say(`Watching ${path.join(root, 'Images')} (Ctrl+C to stop)`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await service.close();
    });
  });
}
