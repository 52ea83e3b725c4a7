/** `clipsort models …`: list, download, import, pick and verify the CLIP models in the models home. */
import path from 'node:path';
import type { Command } from 'commander';
import type { Client } from '../api/client.js';
import { count, formatBytes, type CommandResult, type EventData } from '../api/contract/index.js';
import { withCommands } from './commands.js';
import { createProgress, type Progress } from './progress.js';
import type { GlobalOptions } from './run.js';

/** Where the commands write and which environment they read; tests pass their own. */
export interface ModelsCommandIo {
  stdout?: (text: string) => void;
  env?: NodeJS.ProcessEnv;
}

interface ModelsOptions extends GlobalOptions {
  modelsHome?: string;
}

type Listing = CommandResult<'model.status'>['models'][number];
type VerifyReport = CommandResult<'model.verify'>['models'][number];

/** Adds `models` and its subcommands to the program. */
export function registerModelsCommand(program: Command, io: ModelsCommandIo = {}): Command {
  const env = io.env ?? process.env;
  const print = io.stdout ?? ((text: string) => void process.stdout.write(text));
  const options = (command: Command) => command.optsWithGlobals<ModelsOptions>();
  /** Runs `work` on the command table, with the models home and environment of this command line. */
  const withModels = <T>(command: Command, work: (client: Client) => Promise<T>) => {
    const { modelDir, json, modelsHome } = options(command);
    return withCommands(
      { options: { modelDir, json }, modelsHome: modelsHome ? path.resolve(modelsHome) : undefined, env },
      work,
    );
  };
  const output = (command: Command, json: unknown, text: string) =>
    print(options(command).json ? `${JSON.stringify(json, null, 2)}\n` : text);

  const models = program
    .command('models')
    .description('list, download, import, pick and verify CLIP models')
    .option(
      '--models-home <dir>',
      'where models are installed (default: CLIPSORT_MODELS_HOME or the user cache)',
    )
    .addHelpText(
      'after',
      '\nEnvironment:\n' +
        '  CLIPSORT_MODELS_HOME  where models are installed\n' +
        '  CLIPSORT_MODEL_DIR    the model folder to use, like --model-dir\n' +
        '  CLIPSORT_MANIFEST     a catalogue file that replaces the built-in one (for testing mirrors)\n',
    );

  models
    .command('list')
    .description('show the catalogue and the installed models; * marks the one in use')
    .action(async (_options: unknown, command: Command) => {
      const status = await withModels(command, (client) => client.invoke('model.status'));
      const { modelsHome, models: listings } = status;
      output(command, { modelsHome, models: listings.map(asListed) }, formatListing(status));
    });

  models
    .command('download')
    .description('download a model from the catalogue (resumes an interrupted download)')
    .argument('[id]', 'the model to download (default: the catalogue default)')
    .option('--quantized', 'fetch the smaller int8 quantized encoders instead of the full-precision ones')
    .action(async (id: string | undefined, local: { quantized?: boolean }, command: Command) => {
      const answer = await withModels(command, async (client) => {
        const progress = downloadProgress(options(command).json);
        const stop = client.on('model-download', progress.update);
        // Ctrl+C stops the download (keeping what was fetched, to resume), which then fails as cancelled.
        const cancel = () => void client.invoke('model.cancelDownload');
        process.once('SIGINT', cancel);
        try {
          // Installed only: the command line loads no model.
          return await client.invoke('model.download', {
            id,
            quantized: local.quantized,
            use: false,
            wait: true,
          });
        } finally {
          process.off('SIGINT', cancel);
          stop();
          progress.stop();
        }
      });
      // With `wait`, the answer comes once the model is installed, and describes it.
      const installed = answer.installed!;
      const { files, added } = installed;
      const size = formatBytes(files.reduce((sum, file) => sum + file.size, 0));
      const kept = files.length - added.length;
      output(
        command,
        installed,
        `Installed ${installed.id} at ${installed.path}: ${count(files.length, 'file')}, ${size}, sha256 ` +
          `verified (${added.length} downloaded${kept > 0 ? `, ${kept} already there` : ''}).\n`,
      );
    });

  models
    .command('import')
    .description("copy a model folder (transformers.js's layout or Immich's) into the models home")
    .argument('<dir>', 'the model folder')
    .option('--id <id>', 'the name to install it under (default: the folder name)')
    .option('--force', 'replace an installed model of that name')
    .action(async (dir: string, local: { id?: string; force?: boolean }, command: Command) => {
      const { installed } = await withModels(command, (client) =>
        client.invoke('model.import', {
          path: path.resolve(dir),
          id: local.id,
          replace: local.force,
          use: false,
        }),
      );
      const size = formatBytes(installed.files.reduce((sum, file) => sum + file.size, 0));
      output(
        command,
        installed,
        `Imported ${installed.id} into ${installed.path}: ${count(installed.files.length, 'file')}, ${size}; their ` +
          'checksums are in clipsort-model.json.\n',
      );
    });

  models
    .command('use')
    .description('make an installed model the one every face uses')
    .argument('<id>', 'the installed model (see `clipsort models list`)')
    .action(async (id: string, _local: unknown, command: Command) => {
      const chosen = await withModels(command, (client) => client.invoke('model.use', { id }));
      output(command, chosen, `Using ${chosen.model} (${chosen.folder}).\n`);
    });

  models
    .command('verify')
    .description('re-hash the files of a model (or of every installed model) against its record')
    .argument('[id]', 'the model to verify (default: --model-dir, else every installed model)')
    .action(async (id: string | undefined, _local: unknown, command: Command) => {
      const modelDir = options(command).modelDir ?? (env.CLIPSORT_MODEL_DIR || undefined);
      const input = id ? { id } : modelDir ? { path: path.resolve(modelDir) } : {};
      const { ok, models: reports } = await withModels(command, (client) =>
        client.invoke('model.verify', input),
      );
      output(command, { ok, models: reports }, reports.map(formatReport).join(''));
      if (!ok) process.exitCode = 1;
    });

  return models;
}

/** The download's progress bar, labelled with the model its first progress event names. */
function downloadProgress(json: boolean | undefined) {
  const megabytes = (bytes: number) => Math.floor(bytes / 100_000) / 10;
  let bar: Progress | undefined;
  return {
    update: ({ model, received, total }: EventData<'model-download'>) => {
      bar ??= createProgress(`Downloading ${model}`, { json, unit: 'MB' });
      bar.update(megabytes(received), megabytes(total));
    },
    stop: () => bar?.stop(),
  };
}

/**
 * A listing for `--json`: who it is, whether it is installed and in use first, then the rest; the fields a model
 * lacks are left out (the table answers them as null).
 */
function asListed(listing: Listing): Record<string, unknown> {
  const { id, name, languages, inUse, ...rest } = listing;
  const listed = { id, name, languages, installed: listing.state === 'installed', inUse, ...rest };
  return Object.fromEntries(
    Object.entries(listed).filter(([, value]) => value !== null && value !== undefined),
  );
}

const STRENGTH_WORDS: Record<NonNullable<Listing['strengths']>[number], string> = {
  fastest: 'fastest',
  fast: 'fast',
  small: 'small download',
  'best-english': 'best for English folder names',
  'best-spanish': 'best for Spanish folder names',
  multilingual: 'multilingual',
  'most-languages': 'the most languages',
};

const languageNames = new Intl.DisplayNames(['en'], { type: 'language' });

/** "English", "English and Spanish", or "29 languages (English, Spanish, French, German, …)". */
function describeLanguages(codes: readonly string[]): string {
  const names = codes.map((code) => languageNames.of(code) ?? code);
  if (names.length <= 2) return names.join(' and ');
  // The languages most folder names are written in first, then the catalogue's order.
  const first = ['en', 'es', 'fr', 'de'].filter((code) => codes.includes(code));
  const shown = [...first, ...codes.filter((code) => !first.includes(code))].slice(0, 4);
  return `${codes.length} languages (${shown.map((code) => languageNames.of(code) ?? code).join(', ')}, …)`;
}

/** The catalogue's word on a model, for choosing one: its languages, what it is best at, its licence. */
function describeModel(listing: Listing): string | undefined {
  const parts = [
    listing.languages?.length ? describeLanguages(listing.languages) : undefined,
    listing.strengths?.length
      ? listing.strengths.map((strength) => STRENGTH_WORDS[strength]).join(', ')
      : undefined,
    listing.licence?.name,
  ].filter((part) => part !== undefined);
  return parts.length > 0 ? parts.join(' · ') : undefined;
}

function formatListing({ modelsHome, models: listings, folder }: CommandResult<'model.status'>): string {
  const width = Math.max(...listings.map((listing) => listing.id.length));
  const lines = listings.map((listing) => {
    const state =
      listing.state === 'installed'
        ? `installed (${listing.variants.join(' + ')}, ${formatBytes(listing.size ?? 0)})`
        : listing.state === 'partial'
          ? `partial: ${listing.problem ?? ''}`
          : 'not installed';
    const name = listing.name ?? (listing.source === 'import' ? 'imported' : 'not in the catalogue');
    const mark = listing.inUse ? '*' : ' ';
    const about = describeModel(listing);
    return (
      `${mark} ${listing.id.padEnd(width)}  ${name} — ${state}${listing.isDefault ? ' [default]' : ''}\n` +
      (about ? `${' '.repeat(width + 4)}${about}\n` : '')
    );
  });
  const inUse = listings.some((listing) => listing.inUse)
    ? '* in use; pick another with `clipsort models use <id>`.\n'
    : folder
      ? `In use: ${folder} (named by --model-dir or CLIPSORT_MODEL_DIR).\n`
      : 'No model is in use yet: `clipsort models download` or `clipsort models import <dir>`.\n';
  return `Models in ${modelsHome}:\n${lines.join('')}${inUse}`;
}

function formatReport(report: VerifyReport): string {
  if (report.ok)
    return `${report.id}: ${report.files.length === 1 ? 'its one file matches' : `all ${report.files.length} files match`} (${report.path}).\n`;
  const bad = report.files.filter((file) => file.status !== 'ok');
  const lines = bad.map((file) =>
    file.status === 'missing'
      ? `  missing   ${file.path}\n`
      : `  modified  ${file.path} (${file.actual?.size === file.expected.size ? 'sha256' : 'size'} differs)\n`,
  );
  return `${report.id}: ${bad.length} of ${count(report.files.length, 'file')} ${bad.length === 1 ? 'is' : 'are'} damaged (${report.path}); download or import it again.\n${lines.join('')}`;
}
