/** `clipsort models …`: list, download, import and verify the CLIP models in the models home. */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { ClipSortError } from '../engine/errors.js';
import { downloadModel, formatBytes, type InstalledModel } from '../engine/models/downloadModel.js';
import { importModel } from '../engine/models/importModel.js';
import { listModels, type ModelListing } from '../engine/models/listModels.js';
import { findModelEntry, loadManifest } from '../engine/models/manifest.js';
import { isFile, MODEL_RECORD_FILE } from '../engine/models/modelLayout.js';
import { defaultModelsHome } from '../engine/models/modelsHome.js';
import { verifyModel, type VerifyReport } from '../engine/models/verifyModel.js';
import { createProgress } from './progress.js';
import type { GlobalOptions } from './run.js';

/** Where the commands write and which environment they read; tests pass their own. */
export interface ModelsCommandIo {
  stdout?: (text: string) => void;
  env?: NodeJS.ProcessEnv;
}

interface ModelsOptions extends GlobalOptions {
  modelsHome?: string;
}

/** Adds `models` and its subcommands to the program. */
export function registerModelsCommand(program: Command, io: ModelsCommandIo = {}): Command {
  const env = io.env ?? process.env;
  const print = io.stdout ?? ((text: string) => void process.stdout.write(text));
  const options = (command: Command) => command.optsWithGlobals<ModelsOptions>();
  const home = (command: Command) => {
    const given = options(command).modelsHome;
    return given ? path.resolve(given) : defaultModelsHome({ env });
  };
  const output = (command: Command, json: unknown, text: string) =>
    print(options(command).json ? `${JSON.stringify(json, null, 2)}\n` : text);

  const models = program
    .command('models')
    .description('list, download, import and verify CLIP models')
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
    .description('show the catalogue and the installed models')
    .action(async (_options: unknown, command: Command) => {
      const modelsHome = home(command);
      const listings = await listModels(await loadManifest(undefined, env), modelsHome);
      output(command, { modelsHome, models: listings }, formatListing(modelsHome, listings));
    });

  models
    .command('download')
    .description('download a model from the catalogue (resumes an interrupted download)')
    .argument('[id]', 'the model to download (default: the catalogue default)')
    .option('--quantized', 'fetch the smaller int8 quantized encoders instead of the full-precision ones')
    .action(async (id: string | undefined, local: { quantized?: boolean }, command: Command) => {
      const manifest = await loadManifest(undefined, env);
      const entry = findModelEntry(manifest, id ?? manifest.default);
      const progress = createProgress(`Downloading ${entry.id}`, { json: options(command).json, unit: 'MB' });
      const megabytes = (bytes: number) => Math.floor(bytes / 100_000) / 10;
      const controller = new AbortController();
      const cancel = () => controller.abort();
      process.once('SIGINT', cancel);
      let installed: InstalledModel;
      try {
        installed = await downloadModel(entry, home(command), {
          quantized: local.quantized,
          signal: controller.signal,
          onProgress: (done, total) => progress.update(megabytes(done), megabytes(total)),
        });
      } finally {
        process.off('SIGINT', cancel);
        progress.stop();
      }
      const size = formatBytes(installed.files.reduce((sum, file) => sum + file.size, 0));
      const kept = installed.files.length - installed.added.length;
      output(
        command,
        installed,
        `Installed ${installed.id} at ${installed.path}: ${installed.files.length} files, ${size}, sha256 ` +
          `verified (${installed.added.length} downloaded${kept > 0 ? `, ${kept} already there` : ''}).\n`,
      );
    });

  models
    .command('import')
    .description('copy a model folder (transformers.js layout) into the models home')
    .argument('<dir>', 'the model folder')
    .option('--id <id>', 'the name to install it under (default: the folder name)')
    .option('--force', 'replace an installed model of that name')
    .action(async (dir: string, local: { id?: string; force?: boolean }, command: Command) => {
      const installed = await importModel(dir, home(command), local);
      const size = formatBytes(installed.files.reduce((sum, file) => sum + file.size, 0));
      output(
        command,
        installed,
        `Imported ${installed.id} into ${installed.path}: ${installed.files.length} files, ${size}; their ` +
          `checksums are in ${MODEL_RECORD_FILE}.\n`,
      );
    });

  models
    .command('verify')
    .description('re-hash the files of a model (or of every installed model) against its record')
    .argument('[id]', 'the model to verify (default: --model-dir, else every installed model)')
    .action(async (id: string | undefined, _local: unknown, command: Command) => {
      const modelsHome = home(command);
      const modelDir = options(command).modelDir ?? (env.CLIPSORT_MODEL_DIR || undefined);
      const dirs = id
        ? [path.join(modelsHome, id)]
        : modelDir
          ? [modelDir]
          : await recordedModels(modelsHome);
      const reports: VerifyReport[] = [];
      for (const dir of dirs) reports.push(await verifyModel(dir));
      const ok = reports.every((report) => report.ok);
      output(command, { ok, models: reports }, reports.map(formatReport).join(''));
      if (!ok) process.exitCode = 1;
    });

  return models;
}

/** The folders in the models home that have a record. */
async function recordedModels(modelsHome: string): Promise<string[]> {
  const names = await readdir(modelsHome).catch(() => []);
  const dirs: string[] = [];
  for (const name of names.sort()) {
    if (name.startsWith('.')) continue;
    const dir = path.join(modelsHome, name);
    if (await isFile(path.join(dir, MODEL_RECORD_FILE))) dirs.push(dir);
  }
  if (dirs.length === 0) {
    throw new ClipSortError(
      'model-missing',
      `No installed model was found in ${modelsHome}; download one with \`clipsort models download\`.`,
    );
  }
  return dirs;
}

function formatListing(modelsHome: string, listings: ModelListing[]): string {
  const width = Math.max(...listings.map((listing) => listing.id.length));
  const lines = listings.map((listing) => {
    const state =
      listing.state === 'installed'
        ? `installed (${listing.variants.join(' + ')}, ${formatBytes(listing.size ?? 0)})`
        : listing.state === 'partial'
          ? `partial: ${listing.problem ?? ''}`
          : 'not installed';
    const name = listing.name ?? (listing.source === 'import' ? 'imported' : 'not in the catalogue');
    return `  ${listing.id.padEnd(width)}  ${name} — ${state}${listing.isDefault ? ' [default]' : ''}\n`;
  });
  return `Models in ${modelsHome}:\n${lines.join('')}`;
}

function formatReport(report: VerifyReport): string {
  if (report.ok) return `${report.id}: all ${report.files.length} files match (${report.path}).\n`;
  const bad = report.files.filter((file) => file.status !== 'ok');
  const lines = bad.map((file) =>
    file.status === 'missing'
      ? `  missing   ${file.path}\n`
      : `  modified  ${file.path} (${file.actual?.size === file.expected.size ? 'sha256' : 'size'} differs)\n`,
  );
  return `${report.id}: ${bad.length} of ${report.files.length} files are damaged (${report.path}); download or import it again.\n${lines.join('')}`;
}
