import path from 'node:path';
import type { Command } from 'commander';
import { ClipSortError } from '../engine/errors.js';
import { count } from '../api/contract/index.js';
import { withCommands } from './commands.js';
import { positiveInteger } from './optionValues.js';
import { printJson, say } from './output.js';
import type { GlobalOptions } from './run.js';

/** A file named on the command line as a library-relative path, refusing anything outside the library. */
export function libraryFile(root: string, file: string): string {
  const relative = path.relative(root, path.resolve(root, file)).split(path.sep).join('/');
  if (relative.startsWith('../') || relative === '..' || path.isAbsolute(relative)) {
    throw new ClipSortError('path-outside-library', `${file} is not inside the library ${root}.`);
  }
  return relative;
}

const formatScore = (n: number | null) => (n === null ? '–' : n.toFixed(3));

/** `init`, `status`, `review`, `assign` and `undo`: the library's housekeeping, no model needed. */
export function registerLibraryCommands(program: Command): void {
  program
    .command('init')
    .description('make a folder a library: create Images/, Classes/, Dataset/ (nothing else is touched)')
    .argument('<library>', 'library folder (created if missing)')
    .action(async (library: string, _options: unknown, command: Command) => {
      const options = command.optsWithGlobals<GlobalOptions>();
      const root = path.resolve(library);
      const { created } = await withCommands({ options }, (client) =>
        client.invoke('library.init', { path: root }),
      );
      if (options.json) return printJson({ library: root, created });
      say(created.length > 0 ? `Created ${created.join(', ')} in ${root}` : `${root} is already a library`);
    });

  program
    .command('status')
    .description('what is in the inbox, waiting for review, sorted per class, and what failed')
    .argument('<library>', 'library folder')
    .action(async (library: string, _options: unknown, command: Command) => {
      const options = command.optsWithGlobals<GlobalOptions>();
      await withCommands({ library, options }, async (client) => {
        const status = await client.invoke('library.status');
        if (options.json) return printJson(status);
        say(`${status.inbox} in Images/, ${status.review} of them waiting for review`);
        if (status.videos > 0)
          say(`${count(status.videos, 'video')} in Images/, not sorted (ClipSort sorts photos)`);
        for (const c of status.classes)
          say(`  ${c.name}: ${c.sorted} sorted, ${count(c.references, 'reference image')}`);
        for (const { reason } of status.skippedClasses) say(`  skipped: ${reason}`);
        for (const { reason } of status.skippedInbox) say(`  skipped: ${reason}`);
        if (status.errors.length > 0) say(`${count(status.errors.length, 'file')} could not be used:`);
        for (const { error } of status.errors) say(`  ${error}`);
      });
    });

  program
    .command('review')
    .description('list the images waiting for a decision, with their best classes')
    .argument('<library>', 'library folder')
    .action(async (library: string, _options: unknown, command: Command) => {
      const options = command.optsWithGlobals<GlobalOptions>();
      await withCommands({ library, options }, async (client) => {
        const { items } = await client.invoke('review.list');
        if (options.json) return printJson({ review: items });
        if (items.length === 0) say('Nothing is waiting for review.');
        for (const item of items) {
          const guesses = item.top.map((t) => `${t.name} ${formatScore(t.score)}`).join(', ');
          const why = item.reason === 'undone' ? 'put back by undo' : '';
          say(`${item.file}: ${[why, guesses].filter(Boolean).join('; ')}`);
        }
      });
    });

  program
    .command('assign')
    .description('file an image under a class yourself (the class is created if needed)')
    .argument('<library>', 'library folder')
    .argument('<file>', 'the image, as a path inside the library (e.g. Images/beach.jpg)')
    .argument('<class>', 'the class')
    .option('--as-reference', "add it to the class's reference images (Classes/<class>/) instead of Dataset/")
    .option('--wait', 'wait for another ClipSort that is sorting this library to finish, instead of exiting')
    .action(
      async (
        library: string,
        file: string,
        name: string,
        options: { asReference?: boolean; wait?: boolean },
        command,
      ) => {
        const global = (command as Command).optsWithGlobals<GlobalOptions>();
        const access = { access: 'moves', holder: 'clipsort assign', wait: options.wait } as const;
        await withCommands({ library, ...access, options: global }, async (client) => {
          const moved = await client.invoke('review.assign', {
            file: libraryFile(path.resolve(library), file),
            class: name,
            asReference: options.asReference,
          });
          if (global.json) return printJson(moved);
          say(`${moved.file} → ${moved.to}`);
        });
      },
    );

  program
    .command('undo')
    .description('put moved images back where they were (by default the last run)')
    .argument('<library>', 'library folder')
    .option('--last <n>', 'undo the last N runs', positiveInteger)
    .option('--all', 'undo every move')
    .option('--wait', 'wait for another ClipSort that is sorting this library to finish, instead of exiting')
    .action(
      async (
        library: string,
        options: { last?: number; all?: boolean; wait?: boolean },
        command: Command,
      ) => {
        const global = command.optsWithGlobals<GlobalOptions>();
        const access = { access: 'moves', holder: 'clipsort undo', wait: options.wait } as const;
        await withCommands({ library, ...access, options: global }, async (client) => {
          const undone = await client.invoke('moves.undo', {
            last: options.last,
            all: options.all || undefined,
          });
          if (global.json) return printJson(undone);
          const { restored, skipped, removedFolders } = undone;
          for (const { from, to } of restored) say(`${from} → ${to}`);
          for (const { file, reason } of skipped) say(`not undone: ${file}: ${reason}`);
          for (const folder of removedFolders) say(`removed the empty folder ${folder}/`);
          say(`${restored.length} put back, ${skipped.length} left as they are`);
        });
      },
    );
}
