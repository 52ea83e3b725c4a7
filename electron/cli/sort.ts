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

type Options = GlobalOptions & ModelOptions & SortCommandOptions;
type Outcome =
  | ({ kind: 'sorted' } & EventData<'sorted'>)
  | ({ kind: 'review' } & Pick<EventData<'review'>, 'file' | 'best' | 'score' | 'margin'>)
  | { kind: 'error'; file: string | null; code?: string; error: string };

/** One line for people about an image. */
function describe(outcome: Outcome): string {
  switch (outcome.kind) {
    case 'sorted':
      return `${outcome.file} → ${outcome.to} (${outcome.class}, score ${outcome.score.toFixed(3)})`;
    case 'review':
      return `${outcome.file}: unsure (best ${outcome.best}, score ${outcome.score.toFixed(3)}, margin ${outcome.margin.toFixed(3)}); waiting for review`;
    case 'error':
      return `${outcome.file ?? 'sorting'}: ${outcome.error}`;
  }
}

/** A pass's report as lines, in the order the images were found. */
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
        .argument('<library>', 'library folder'),
    ),
  ).action(async (library: string, _options: unknown, command: Command) => {
    const options = command.optsWithGlobals<Options>();
    await withLibraryCommands(library, 'sort', options, async (client) => {
      const progress = createProgress('Sorting', { json: options.json, unit: 'images' });
      const stop = client.on('progress', ({ queued, done }) => progress.update(done, queued));
      const report = await client.invoke('sort.pass', runSettings(options)).finally(() => {
        stop();
        progress.stop();
      });
      if (options.json) return printJson(report);
      for (const outcome of outcomesOf(report)) say(describe(outcome));
      const { sorted, review, errors } = report;
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
    await withLibraryCommands(library, 'watch', options, async (client) => {
      // With --json, one event per line: {"kind":"watching"} once, then one line per image.
      const print = (event: Outcome | { kind: 'watching'; library: string }) => {
        if (options.json) process.stdout.write(`${JSON.stringify(event)}\n`);
        else if (event.kind !== 'watching') say(describe(event));
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
