import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { ClipSortError, errorMessage } from '../engine/errors.js';
import { evaluateCaptions, type CaptionsEvaluation } from '../engine/evaluate/evaluateCaptions.js';
import { libraryClasses } from '../engine/evaluate/libraryClasses.js';
import { evaluateModes, type ClassesEvaluation } from '../engine/evaluate/modeAccuracy.js';
import { LibraryIndex } from '../engine/store/libraryIndex.js';
import { loadModel, withModelOptions, type ModelOptions } from './modelOptions.js';
import { withLibrary } from './openLibrary.js';
import { printJson, say } from './output.js';
import { createProgress } from './progress.js';
import type { GlobalOptions } from './run.js';

interface EvalCommandOptions extends GlobalOptions, ModelOptions {
  captions?: string;
  classes?: boolean;
}

const percent = (share: number | null) => (share === null ? '–' : `${(100 * share).toFixed(1)}%`);

/** Text cut to `width` characters, with an ellipsis when cut. */
const clip = (text: string, width: number) => (text.length > width ? `${text.slice(0, width - 1)}…` : text);

/** Rows of cells as aligned columns. */
function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  return rows.map((row) =>
    row
      .map((cell, c) => cell.padEnd(widths[c]!))
      .join('  ')
      .trimEnd(),
  );
}

function printCaptions(result: CaptionsEvaluation): void {
  const rows = [['image', 'own caption rank', 'closest caption']];
  result.images.forEach((image, i) => {
    const row = result.matrix[i]!;
    const closest = row.indexOf(Math.max(...row));
    rows.push([image, String(result.imageRanks[i]), clip(result.captions[closest]!, 60)]);
  });
  for (const line of table(rows)) say(line);
  say();
  say(`${result.images.length} captioned images`);
  say(`image → caption: top-1 ${percent(result.top1)}, top-5 ${percent(result.top5)}`);
  say(`caption → image: top-1 ${percent(result.captionTop1)}, top-5 ${percent(result.captionTop5)}`);
  say(
    `mean similarity: matching pairs ${result.diagonal.toFixed(3)}, other pairs ${result.offDiagonal.toFixed(3)}`,
  );
  if (result.missing.length > 0) say(`${result.missing.length} rows left out:`);
  for (const { file, reason } of result.missing) say(`  ${file}: ${reason}`);
}

function printClasses(result: ClassesEvaluation, errors: readonly { error: string }[]): void {
  const how = result.folds === result.references ? 'leave-one-out' : `${result.folds}-fold cross-validation`;
  say(`${result.classes.length} classes, ${result.references} reference images (${how})`);
  const rows = [['mode', 'accuracy', '']];
  for (const [mode, accuracy] of Object.entries(result.modes)) {
    rows.push([mode, percent(accuracy), mode === result.recommended ? '← recommended' : '']);
  }
  for (const line of table(rows)) say(`  ${line}`);
  if (result.recommended === null)
    say('Nothing to compare: evaluating modes needs two classes with references.');
  for (const name of result.single) {
    say(
      `note: class "${name}" has a single reference; while it is left out, the class is scored by its prompt.`,
    );
  }
  if (result.recommended !== null) {
    say();
    say(`Confusion in ${result.recommended} mode (rows: true class, columns: predicted):`);
    const header = ['', ...result.classes.map((c) => clip(c, 12))];
    const body = result.confusion[result.recommended].map((row, i) => [
      clip(result.classes[i]!, 24),
      ...row.map(String),
    ]);
    for (const line of table([header, ...body])) say(`  ${line}`);
  }
  for (const { error } of errors) say(`error: ${error}`);
}

async function readCaptionsFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new ClipSortError(
      'captions-unreadable',
      `The captions file ${file} cannot be read (${errorMessage(error)}).`,
    );
  }
}

/** `clipsort eval`: how well captions match their images, or which mode suits a library's classes. */
export function registerEvalCommand(program: Command): void {
  withModelOptions(
    program
      .command('eval')
      .description(
        "score a captions file against the images of a folder (--captions), or every mode on a library's classes (--classes)",
      )
      .argument('<folder>', 'the images of the captions file, or a library')
      .option('--captions <file>', 'captions file: CSV filename,category,caption or JSON by category')
      .option('--classes', "leave-one-out accuracy of every mode on the library's reference images"),
  ).action(async (folder: string, _options: unknown, command: Command) => {
    const options = command.optsWithGlobals<EvalCommandOptions>();
    if ((options.captions === undefined) === !options.classes) {
      throw new ClipSortError('invalid-arguments', 'Give either --captions FILE or --classes.');
    }
    if (options.captions !== undefined) await evalCaptions(folder, options.captions, options);
    else await evalClasses(folder, options);
  });
}

async function evalCaptions(folder: string, file: string, options: EvalCommandOptions): Promise<void> {
  const root = path.resolve(folder);
  const text = await readCaptionsFile(file);
  const model = await loadModel(options);
  const index = LibraryIndex.open(root);
  const progress = createProgress('Embedding', { json: options.json, unit: 'images' });
  try {
    const result = await evaluateCaptions(root, text, model, index, {
      name: path.basename(file),
      onProgress: (done, total) => progress.update(done, total),
    });
    progress.stop();
    if (options.json) printJson(result);
    else printCaptions(result);
  } finally {
    index.close();
    await model.dispose();
  }
}

async function evalClasses(library: string, options: EvalCommandOptions): Promise<void> {
  await withLibrary(library, async (root, index) => {
    const model = await loadModel(options);
    try {
      const { classes, errors } = await libraryClasses(root, model, index);
      const result = evaluateModes(classes);
      const failed = errors.map(({ file, error }) => ({ file, error }));
      if (options.json) printJson({ ...result, errors: failed });
      else printClasses(result, failed);
    } finally {
      await model.dispose();
    }
  });
}
