import path from 'node:path';
import type { Command } from 'commander';
import type { Client } from '../api/client.js';
import type { CommandResult, EventData } from '../api/contract/index.js';
import { withCommands } from './commands.js';
import { withModelOptions, type ModelOptions } from './modelOptions.js';
import { printJson, say, warn } from './output.js';
import { createProgress } from './progress.js';
import type { GlobalOptions } from './run.js';
import { runSettings, withSortOptions, type SortCommandOptions } from './sortOptions.js';

type Options = GlobalOptions & ModelOptions & SortCommandOptions & { recheck?: boolean };
type Outcome =
  | ({ kind: 'sorted' } & EventData<'sorted'>)
  | ({ kind: 'review' } & Pick<EventData<'review'>, 'file' | 'reason' | 'best' | 'score' | 'margin'>)
  | { kind: 'error'; file: string | null; code?: string; error: string };

/** One line for people about an image; a dry run says what it would have done. */
function describe(outcome: Outcome, dryRun = false): string {
  switch (outcome.kind) {
    case 'sorted': {
      const names = outcome.companions.map((companion) => path.posix.basename(companion));
      const along = names.length > 0 ? `, with ${names.join(', ')}` : '';
      const move = `${outcome.file} → ${outcome.to} (${outcome.class}, score ${outcome.score.toFixed(3)})${along}`;
      return dryRun ? `would move ${move}` : move;
    }
    case 'review':
      return `${outcome.file}: waiting for review: ${whyWaiting(outcome)}`;
    case 'error': {
      // The engine's messages name their file already: each path is said once.
      const { file, error } = outcome;
      return file === null ? `sorting: ${error}` : error.startsWith(file) ? error : `${file}: ${error}`;
    }
  }
}

/** Why an image waits, in words, with the numbers that decided it. */
function whyWaiting({ reason, best, score, margin }: Extract<Outcome, { kind: 'review' }>): string {
  const guess = `${best}, score ${score.toFixed(3)}`;
  switch (reason) {
    case 'score':
      return `unsure, the best class ${guess} is below the threshold`;
    case 'margin':
      return `unsure between classes, ${guess} leads the runner-up by only ${margin.toFixed(3)}`;
    case 'undone':
      return `put back by undo (best ${guess}); \`clipsort sort --recheck\` files it`;
    case 'held':
      return `held since an earlier sort, though ${guess} now clears the rule; \`clipsort sort --recheck\` files it`;
    case 'evidence':
      return `best ${guess}; too few labelled photos yet to file any photo within the error asked for`;
  }
}

/** A pass's report as lines: the sorted images first, then those waiting, then those that failed. */
function outcomesOf(report: CommandResult<'sort.pass'>): Outcome[] {
  return [
    ...report.sorted.map((o) => ({ kind: 'sorted' as const, ...o })),
    ...report.review.map((o) => ({ kind: 'review' as const, ...o })),
    ...report.errors.map((o) => ({ kind: 'error' as const, ...o })),
  ];
}

/** Runs `work` on the library's commands: holding the library to move files, or only looking for a dry run. */
function withLibraryCommands(
  library: string,
  command: 'sort' | 'watch',
  options: Options,
  work: (client: Client) => Promise<void>,
): Promise<void> {
  return withCommands(
    {
      library,
      access: options.dryRun ? 'read' : 'moves',
      holder: `clipsort ${command}`,
      wait: options.wait,
      options,
    },
    async (client) => {
      for (const { reason } of (await client.invoke('library.status')).skippedClasses) warn(reason);
      await work(client);
    },
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
        .argument('<library>', 'library folder')
        .option(
          '--recheck',
          "decide again for the images waiting for review (undone ones too) with today's classes and settings",
        ),
    ),
  ).action(async (library: string, _options: unknown, command: Command) => {
    const options = command.optsWithGlobals<Options>();
    await withLibraryCommands(library, 'sort', options, async (client) => {
      const progress = createProgress('Sorting', { json: options.json, unit: 'images' });
      const stopProgress = client.on('progress', ({ queued, done }) => progress.update(done, queued));
      const stopNotices = client.on('notice', ({ message }) => warn(message));
      const stop = () => [stopProgress, stopNotices].forEach((unsubscribe) => unsubscribe());
      const run = { ...runSettings(options), recheck: options.recheck };
      const report = await client.invoke('sort.pass', run).finally(() => {
        stop();
        progress.stop();
      });
      if (options.json) return printJson(report);
      for (const outcome of outcomesOf(report)) say(describe(outcome, options.dryRun));
      const { sorted, review, errors } = report;
      const counts = `${sorted.length} sorted, ${review.length} waiting for review, ${errors.length} failed`;
      say(options.dryRun ? `${counts} (dry run: nothing was moved)` : counts);
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
    await withLibraryCommands(library, 'watch', options, async (client) => {
      // With --json, one event per line: {"kind":"watching"} once, then one line per image.
      const print = (event: Outcome | { kind: 'watching'; library: string }) => {
        if (options.json) process.stdout.write(`${JSON.stringify(event)}\n`);
        else if (event.kind !== 'watching') say(describe(event, options.dryRun));
      };
      client.on('sorted', (data) => print({ kind: 'sorted', ...data }));
      client.on('review', (data) => print({ kind: 'review', ...data }));
      client.on('error', ({ file, code, message }) => print({ kind: 'error', file, code, error: message }));
      client.on('notice', ({ message }) => warn(message));
      await client.invoke('sort.start', runSettings(options));
      const { library: info } = await client.invoke('library.status');
      if (options.json) print({ kind: 'watching', library: info.path });
      else say(`Watching ${path.join(info.path, 'Images')} (Ctrl+C to stop)`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await client.invoke('sort.stop');
    });
  });
}
